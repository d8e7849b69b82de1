import fc from "fast-check";
import type { Target } from "./support.js";

/**
 * Bad-input classes sent in-process through `emulator.fetch(new Request(...))`, one arbitrary per
 * class. `expect` is an exact status, "refused" (any 4xx) or "safe" (a 2xx the spec accepts or a
 * 4xx: for input that is odd but valid, like an extra `__proto__` key the spec tolerates).
 */
export type Expectation = number | "refused" | "safe";

export interface FetchCase {
  method?: string;
  path?: string;
  headers: Record<string, string>;
  /** A Uint8Array body gets no automatic content-type; a string body always has one set here. */
  body?: string | Uint8Array;
  expect: Expectation;
}

export interface BodyClass {
  name: string;
  runs: number;
  arb(target: Target, limit: number): fc.Arbitrary<FetchCase>;
}

const JSON_TYPE = { "content-type": "application/json" };
const text = (t: Target) => JSON.stringify(t.body);
const bytes = (s: string) => new TextEncoder().encode(s);
const isJsonType = (type: string) =>
  /^application\/([\w.-]+\+)?json$/i.test(type.split(";")[0]?.trim() ?? "");
const parses = (s: string) => {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
};

const SLOT = "\u0000slot\u0000";

/** A JSON text of the target's body with `key` set (or replaced) to `value`, itself JSON text. */
const withProperty = (t: Target, key: string, value: string) =>
  // A computed key defines an own property, even `__proto__`; JSON.stringify then writes it.
  JSON.stringify({ ...(t.body as object), [key]: SLOT }).replace(JSON.stringify(SLOT), () => value);

const keyOf = (t: Target) =>
  fc.oneof(fc.constantFrom(...Object.keys(t.body as object)), fc.constant("extra"));

function nested(depth: number, shape: "object" | "array" | "mixed"): string {
  const open = shape === "array" ? "[" : shape === "object" ? '{"a":' : '{"a":[';
  const close = shape === "array" ? "]" : shape === "object" ? "}" : "]}";
  const levels = shape === "mixed" ? Math.ceil(depth / 2) : depth;
  return `${open.repeat(levels)}1${close.repeat(levels)}`;
}

const INVALID_UTF8 = [
  [0x80],
  [0xbf],
  [0xc0, 0xaf],
  [0xc1, 0x81],
  [0xe2, 0x82],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf5],
  [0xfe],
  [0xff],
  [0xf0, 0x9f, 0x98],
];

const NOT_JSON_TYPES = [
  "text/plain",
  "text/json",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/xml",
  "application/jsonx",
  "application/json-seq",
  "application/javascript",
  "json",
  "*/*",
  "application/",
  "/json",
  ";",
];

/** Splices `insert` into `body` at `at` (modulo its length + 1). */
function splice(body: Uint8Array, at: number, insert: number[]): Uint8Array {
  const i = at % (body.length + 1);
  return Uint8Array.from([...body.slice(0, i), ...insert, ...body.slice(i)]);
}

export const BODY_CLASSES: BodyClass[] = [
  {
    name: "malformed JSON",
    runs: 60,
    arb: (t) =>
      fc
        .oneof(
          fc.nat().map((n) => text(t).slice(0, 1 + (n % (text(t).length - 1)))),
          fc.string({ minLength: 1, maxLength: 60 }),
          fc
            .tuple(
              fc.nat(),
              fc.constantFrom("{", "}", "[", "]", ",", ":", '"', "\\", "'", "NaN", "undefined"),
            )
            .map(([n, junk]) => {
              const s = text(t);
              const i = n % s.length;
              return s.slice(0, i) + junk + s.slice(i);
            }),
        )
        .filter((body) => !parses(body))
        .map((body) => ({ headers: { ...JSON_TYPE, ...t.auth }, body, expect: 400 })),
  },
  {
    name: "wrong content type",
    runs: 40,
    arb: (t) =>
      fc
        .oneof(
          fc.constantFrom(...NOT_JSON_TYPES),
          fc
            .tuple(fc.stringMatching(/^[a-z]{1,12}$/), fc.stringMatching(/^[a-z+.-]{1,16}$/))
            .map(([a, b]) => `${a}/${b}`),
        )
        .filter((type) => !isJsonType(type))
        .map((type) => ({ headers: { ...t.auth, "content-type": type }, body: text(t), expect: 400 })),
  },
  {
    name: "missing content type",
    runs: 10,
    arb: (t) => fc.constant({ headers: { ...t.auth }, body: bytes(text(t)), expect: 400 }),
  },
  {
    name: "body over the size limit",
    runs: 20,
    arb: (t, limit) =>
      fc.integer({ min: limit + 1, max: 3 * limit }).map((size) => ({
        headers: { ...JSON_TYPE, ...t.auth },
        body: withProperty(t, "pad", JSON.stringify("x".repeat(size))),
        expect: 413,
      })),
  },
  {
    name: "deeply nested JSON",
    runs: 40,
    arb: (t, limit) =>
      fc
        .tuple(
          fc.integer({ min: 65, max: Math.floor(limit / 8) }),
          fc.constantFrom("object", "array", "mixed") as fc.Arbitrary<"object" | "array" | "mixed">,
          fc.oneof(fc.constant(undefined), keyOf(t)),
        )
        .map(([depth, shape, key]) => ({
          headers: { ...JSON_TYPE, ...t.auth },
          body: key === undefined ? nested(depth, shape) : withProperty(t, key, nested(depth, shape)),
          expect: 400,
        })),
  },
  {
    name: "huge arrays",
    runs: 12,
    arb: (t) =>
      fc
        .tuple(
          fc.integer({ min: 1_000, max: 20_000 }),
          fc.constantFrom("1", '"g"', "null", "{}", "[]", "true"),
          fc.oneof(fc.constant(undefined), keyOf(t)),
        )
        .map(([n, item, key]) => {
          const array = `[${Array(n).fill(item).join(",")}]`;
          const body = key === undefined ? array : withProperty(t, key, array);
          return { headers: { ...JSON_TYPE, ...t.auth }, body, expect: "safe" as const };
        }),
  },
  {
    name: "__proto__/constructor keys",
    runs: 60,
    arb: (t) =>
      fc
        .tuple(
          fc.constantFrom("__proto__", "constructor", "prototype"),
          fc.constantFrom(
            '{"polluted":true,"admin":true}',
            '{"prototype":{"polluted":true}}',
            '{"__proto__":{"polluted":true}}',
            '"polluted"',
            "null",
            '{"toString":"x","valueOf":1}',
          ),
          fc.oneof(fc.constant(undefined), keyOf(t)),
        )
        .map(([key, value, inside]) => {
          const injected = `{${JSON.stringify(key)}:${value}}`;
          const body = inside === undefined ? withProperty(t, key, value) : withProperty(t, inside, injected);
          return { headers: { ...JSON_TYPE, ...t.auth }, body, expect: "safe" as const };
        }),
  },
  {
    name: "invalid UTF-8",
    runs: 40,
    arb: (t) =>
      fc.tuple(fc.nat(), fc.constantFrom(...INVALID_UTF8)).map(([at, seq]) => {
        // Inside a string value, where a lenient decoder would have let it through.
        const s = text(t);
        const quotes = [...s.matchAll(/:"/g)].map((m) => (m.index ?? 0) + 2);
        const i = quotes.length > 0 ? (quotes[at % quotes.length] as number) : at % s.length;
        return {
          headers: { ...JSON_TYPE, ...t.auth },
          body: splice(bytes(s), i, seq),
          expect: 400,
        };
      }),
  },
  {
    name: "null bytes",
    runs: 40,
    arb: (t) =>
      fc.oneof(
        fc.nat().map((at) => ({
          headers: { ...JSON_TYPE, ...t.auth },
          body: splice(bytes(text(t)), at, [0]),
          expect: 400 as Expectation,
        })),
        fc.constantFrom("\u0000", "a\u0000b", "\u0000".repeat(50)).map((s) => ({
          headers: { ...JSON_TYPE, ...t.auth },
          body: text(t).replace(/:"[^"]*"/, `:${JSON.stringify(s)}`),
          expect: "safe" as Expectation,
        })),
      ),
  },
  {
    name: "very long header values",
    runs: 30,
    arb: (t) =>
      fc
        .tuple(
          fc.constantFrom(...Object.keys(t.auth), "content-type", "prefer", "x-long", "accept", "user-agent"),
          fc.integer({ min: 8 * 1024, max: 64 * 1024 }),
          fc.constantFrom("a", " ", "=", "%", ","),
        )
        .map(([name, length, fill]) => ({
          headers: { ...JSON_TYPE, ...t.auth, [name]: `x${fill.repeat(length)}x` },
          body: text(t),
          expect: "safe" as const,
        })),
  },
  {
    name: "unknown methods",
    runs: 30,
    arb: (t) =>
      fc
        .oneof(
          fc.stringMatching(/^[A-Z][A-Z-]{2,11}$/),
          fc.constantFrom("GET", "PUT", "DELETE", "PATCH", "PROPFIND", "PURGE", "BREW", "get", "patch"),
        )
        .filter((m) => !["HEAD", "OPTIONS", "CONNECT", "TRACE", "TRACK", t.method].includes(m.toUpperCase()))
        .map((method) => ({ method, headers: { ...t.auth }, expect: 405 })),
  },
];
