import fc from "fast-check";
import type { Expectation } from "./bad-bodies.js";
import type { Target } from "./support.js";

/** Bad-input classes that need raw bytes on a real socket: what `fetch` would never send. */
export interface WireCase {
  bytes: Buffer;
  /** The client stops writing after the bytes (gives up mid-request). */
  halfClose?: boolean;
  expect: Expectation;
}

export interface WireClass {
  name: string;
  runs: number;
  arb(target: Target, limit: number): fc.Arbitrary<WireCase>;
}

type HeaderLine = string | Buffer;

/** A request as bytes: request line, Host, the given header lines, `Connection: close`, body. */
function wire(
  requestLine: string | Buffer,
  headers: HeaderLine[],
  body: string | Buffer = "",
  contentLength: number | undefined = Buffer.byteLength(body),
): Buffer {
  const lines = [
    Buffer.from(requestLine),
    Buffer.from("Host: 127.0.0.1"),
    ...headers.map((h) => Buffer.from(h)),
    Buffer.from("Connection: close"),
    ...(contentLength === undefined ? [] : [Buffer.from(`Content-Length: ${contentLength}`)]),
  ];
  const head = Buffer.concat(lines.flatMap((l) => [l, Buffer.from("\r\n")]));
  return Buffer.concat([head, Buffer.from("\r\n"), Buffer.from(body)]);
}

const authLines = (t: Target) => Object.entries(t.auth).map(([k, v]) => `${k}: ${v}`);
const json = (t: Target) => JSON.stringify(t.body);
const line = (t: Target, method = t.method, path = t.path) => `${method} ${path} HTTP/1.1`;

/** Paths the spec serves as the same operation by default (Explo's without its trailing slash). */
function servedAliases(t: Target): string[] {
  const note = t.operation.extensions["x-embedkit-path-aliases"] as
    | { paths?: string[]; enabled?: boolean }
    | undefined;
  const base = t.path.slice(0, t.path.length - t.operation.path.length);
  return note?.enabled ? (note.paths ?? []).map((p) => base + p) : [];
}
const valid = (t: Target, requestLine = line(t)) =>
  wire(requestLine, ["Content-Type: application/json", ...authLines(t)], json(t));

const INVALID = [Buffer.from([0xff, 0xfe]), Buffer.from([0xc0, 0xaf]), Buffer.from([0xed, 0xa0, 0x80])];
const cat = (...parts: (string | Buffer)[]) => Buffer.concat(parts.map((p) => Buffer.from(p)));

/** Methods llhttp parses; none is routed except each operation's own. */
const KNOWN_METHODS = ["GET", "PUT", "DELETE", "PATCH", "PROPFIND", "MKCOL", "COPY", "MOVE", "LOCK", "PURGE"];
const MORE_METHODS = ["SEARCH", "REPORT", "MERGE", "NOTIFY", "SUBSCRIBE", "LINK", "UNLINK", "TRACE", "QUERY"];

const PATH_TRICKS: ((path: string, i: number) => string)[] = [
  (p, i) => insertSegment(p, i, ".."),
  (p, i) => insertSegment(p, i, "."),
  (p, i) => insertSegment(p, i, "%2e%2e"),
  (p, i) => insertSegment(p, i, "%2E%2E%2F"),
  (p, i) => replaceSlash(p, i, "%2F"),
  (p, i) => replaceSlash(p, i, "%2f"),
  (p, i) => replaceSlash(p, i, "%5C"),
  (p, i) => replaceSlash(p, i, "\\"),
  (p, i) => replaceSlash(p, i, "//"),
  (p) => (p.endsWith("/") ? p.slice(0, -1) : `${p}/`),
  (p) => p.toUpperCase(),
  (p) => `${p}%00`,
  (p) => `${p};x=1`,
  (p) => `${p}%20`,
  (p) => `/__embedkit/..${p}`,
  (p) => `/%2e%2e${p}`,
  (p) => `/.${p}`,
  (p) => `${p.split("/").slice(0, 2).join("/")}/../${p.split("/").slice(1).join("/")}`,
];

function insertSegment(path: string, i: number, segment: string): string {
  const parts = path.split("/");
  const at = 1 + (i % (parts.length - 1));
  return [...parts.slice(0, at), segment, ...parts.slice(at)].join("/");
}

function replaceSlash(path: string, i: number, by: string): string {
  const slashes = [...path.matchAll(/\//g)].map((m) => m.index ?? 0);
  const at = slashes[i % slashes.length] ?? 0;
  return path.slice(0, at) + by + path.slice(at + 1);
}

export const WIRE_CLASSES: WireClass[] = [
  {
    name: "truncated bodies (socket)",
    runs: 30,
    arb: (t) =>
      fc.tuple(fc.constantFrom("short", "chunked", "headers"), fc.nat()).map(([kind, n]) => {
        const body = json(t);
        const cut = body.slice(0, n % body.length);
        const headers = ["Content-Type: application/json", ...authLines(t)];
        if (kind === "short") {
          return {
            bytes: wire(line(t), headers, cut, body.length + 1 + (n % 100)),
            halfClose: true,
            expect: 400,
          };
        }
        if (kind === "chunked") {
          const chunk = `${cut.length.toString(16)}\r\n${cut}\r\n`;
          const bytes = wire(line(t), [...headers, "Transfer-Encoding: chunked"], chunk, undefined);
          return { bytes, halfClose: true, expect: 400 };
        }
        const whole = valid(t);
        return { bytes: whole.subarray(0, n % whole.indexOf("\r\n\r\n")), halfClose: true, expect: 400 };
      }),
  },
  {
    name: "invalid UTF-8 in headers and path (socket)",
    runs: 30,
    arb: (t) =>
      fc
        .tuple(fc.constantFrom("auth", "content-type", "path", "name"), fc.constantFrom(...INVALID))
        .map(([where, bad]) => {
          const headers: HeaderLine[] = authLines(t);
          if (where === "auth" && headers.length > 0) headers[0] = cat(headers[0] as string, bad);
          const type =
            where === "content-type" || headers.length === 0 ? cat("application/", bad) : "application/json";
          headers.push(cat("Content-Type: ", type));
          if (where === "name") headers.push(cat("X-", bad, ": 1"));
          const requestLine = where === "path" ? cat(`${t.method} ${t.path}`, bad, " HTTP/1.1") : line(t);
          return { bytes: wire(requestLine, headers, json(t)), expect: "refused" as const };
        }),
  },
  {
    name: "null bytes (socket)",
    runs: 15,
    arb: (t) =>
      fc.constantFrom("path", "value", "name").map((where) => {
        const headers: HeaderLine[] = ["Content-Type: application/json", ...authLines(t)];
        if (where === "value") headers.push(cat("X-A: a", Buffer.from([0]), "b"));
        if (where === "name") headers.push(cat("X-", Buffer.from([0]), ": 1"));
        const requestLine =
          where === "path" ? cat(`${t.method} ${t.path}`, Buffer.from([0]), " HTTP/1.1") : line(t);
        return { bytes: wire(requestLine, headers, json(t)), expect: 400 };
      }),
  },
  {
    name: "duplicate headers (socket)",
    runs: 30,
    arb: (t) =>
      fc.constantFrom("content-length", "cl+te", "te", "content-type", "auth").map((kind) => {
        const body = json(t);
        const base = ["Content-Type: application/json", ...authLines(t)];
        if (kind === "content-length") {
          const bytes = wire(line(t), [...base, `Content-Length: ${body.length + 1}`], body);
          return { bytes, expect: 400 };
        }
        if (kind === "cl+te" || kind === "te") {
          const te = kind === "te" ? ["Transfer-Encoding: chunked", "Transfer-Encoding: identity"] : [];
          const chunked = `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
          const length = kind === "te" ? undefined : chunked.length;
          const bytes = wire(line(t), [...base, "Transfer-Encoding: chunked", ...te], chunked, length);
          return { bytes, expect: 400 };
        }
        // Node keeps the first Content-Type/Authorization and joins other repeats: either way, refused.
        const first =
          kind === "auth" && t.operation.security.length > 0 ? authLines(t).map((l) => `${l}x`) : [];
        const types = kind === "content-type" ? ["Content-Type: text/plain"] : [];
        const bytes = wire(line(t), [...types, ...first, ...base], body);
        return {
          bytes,
          expect: kind === "auth" && first.length === 0 ? ("safe" as const) : ("refused" as const),
        };
      }),
  },
  {
    name: "unknown methods (socket)",
    runs: 40,
    arb: (t) =>
      fc
        .oneof(
          fc.stringMatching(/^[A-Z]{2,12}$/),
          fc.constantFrom(...KNOWN_METHODS, ...MORE_METHODS, "CONNECT", "post", "Post", "BREW", "G\tET"),
        )
        .filter((m) => m !== t.method && m !== "HEAD" && m !== "OPTIONS")
        .map((method) => ({ bytes: valid(t, line(t, method)), expect: "refused" as const })),
  },
  {
    name: "path tricks (socket)",
    runs: 60,
    arb: (t) =>
      fc
        .array(fc.tuple(fc.nat(PATH_TRICKS.length - 1), fc.nat()), { minLength: 1, maxLength: 3 })
        .map((tricks) =>
          tricks.reduce((p, [k, i]) => (PATH_TRICKS[k] as (typeof PATH_TRICKS)[0])(p, i), t.path),
        )
        .filter((path) => path !== t.path && !servedAliases(t).includes(path))
        .map((path) => ({ bytes: valid(t, line(t, t.method, path)), expect: "refused" as const })),
  },
  {
    name: "missing Host (socket)",
    runs: 5,
    arb: (t) =>
      fc.constant({
        bytes: Buffer.from(valid(t).toString("latin1").replace("Host: 127.0.0.1\r\n", ""), "latin1"),
        expect: 400,
      }),
  },
  {
    name: "very long header values (socket)",
    runs: 20,
    arb: (t) =>
      fc.tuple(fc.boolean(), fc.integer({ min: 17 * 1024, max: 64 * 1024 })).map(([one, size]) => {
        const headers = one
          ? [`X-Long: ${"a".repeat(size)}`]
          : Array.from({ length: Math.ceil(size / 100) }, (_, i) => `X-H${i}: ${"b".repeat(94)}`);
        return {
          bytes: wire(line(t), ["Content-Type: application/json", ...authLines(t), ...headers], json(t)),
          expect: 431,
        };
      }),
  },
  {
    name: "body over the size limit (socket)",
    runs: 15,
    arb: (t, limit) =>
      fc.tuple(fc.boolean(), fc.integer({ min: limit + 1, max: 4 * limit })).map(([declaredOnly, size]) => {
        const headers = ["Content-Type: application/json", ...authLines(t)];
        const bytes = declaredOnly
          ? wire(line(t), headers, "{", 9 * limit + size)
          : wire(line(t), headers, `{"pad":"${"x".repeat(size)}"}`);
        return { bytes, expect: 413 };
      }),
  },
];
