import { connect } from "node:net";
import fc from "fast-check";
import { createEmulator, type Emulator } from "../../src/emulator/index.js";
import {
  loadSpec,
  type Operation,
  type ProviderId,
  providerInfo,
  specPath,
} from "../../src/openapi/index.js";
import { SchemaEngine } from "../../src/schema/index.js";

/** One operation as a hostile caller sees it: where it is, a body the spec accepts, and its credential. */
export interface Target {
  provider: ProviderId;
  operation: Operation;
  path: string;
  method: string;
  /** The spec's first request example (every operation here has one). */
  body: unknown;
  /** The dev credential headers of the operation's first usable security alternative; {} when anonymous. */
  auth: Record<string, string>;
}

/** Judges an answer by the spec: the declared schema of its status, else components.schemas.Error. */
export interface Judge {
  targets: Target[];
  /** Problems of `body` for `status` of `operationId` (undefined: no operation matched). */
  problems(operationId: string | undefined, status: number, body: unknown): string[];
}

function authHeaders(emu: Emulator, operation: Operation): Record<string, string> {
  const headers: Record<string, string> = {};
  // The first alternative the dev credentials cover (an embed token is minted, not configured).
  const usable = operation.security.find((alt) => alt.every((s) => s.name in emu.credentials.auth));
  for (const scheme of usable ?? operation.security[0] ?? []) {
    const value = emu.credentials.auth[scheme.name];
    if (value === undefined) continue;
    const name = scheme.type === "apiKey" ? (scheme.paramName ?? scheme.name) : "authorization";
    headers[name.toLowerCase()] = value;
  }
  return headers;
}

const takesJson = (op: Operation) => op.requestBody?.content["application/json"] !== undefined;

/** Path parameters filled with the dev defaults' values: deployment 32 exists, so a valid body succeeds. */
function fillPath(op: Operation): string {
  return op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const schema = op.parameters.find((p) => p.name === name)?.schema as { type?: unknown } | undefined;
    return schema?.type === "integer" ? "32" : "sales-overview";
  });
}

/** Every operation of the provider's spec with what it takes to call it, and the spec as a judge. */
export async function judgeFor(provider: ProviderId, emu: Emulator): Promise<Judge> {
  const spec = await loadSpec(specPath(provider));
  const engine = new SchemaEngine(spec.document, { id: `robustness-${provider}` });
  const errorSchema = engine.compile("/components/schemas/Error");
  const basePath = providerInfo(provider).basePath;
  // Bad input is about request bodies: operations without one (the Embed SDK's GETs) are not targets.
  const targets = spec.operations.filter(takesJson).map((operation) => ({
    // What fast-check prints for a counterexample, instead of the whole operation.
    [fc.toStringMethod]: () => `${provider} ${operation.id}`,
    provider,
    operation,
    path: basePath + fillPath(operation),
    method: operation.method.toUpperCase(),
    body: operation.requestBody?.content["application/json"]?.examples[0]?.value ?? {},
    auth: authHeaders(emu, operation),
  }));
  return {
    targets,
    problems(operationId, status, body) {
      const op = spec.operations.find((o) => o.id === operationId);
      const pointer = op?.responses[String(status)]?.content["application/json"]?.schemaPointer;
      const validate = pointer ? engine.compile(pointer) : errorSchema;
      return validate(body, "body").map((p) => `${p.path}: ${p.message}`);
    },
  };
}

/** A fresh emulator on the injected clock; the rate limit is off unless a test turns it on. */
export function quietEmulator(provider: ProviderId, config: Record<string, unknown> = {}) {
  return createEmulator({
    provider,
    config: { rateLimit: { enabled: false, requests: 1, windowSeconds: 1 }, ...config },
  });
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Everything received, as latin1. */
  raw: string;
}

function parseAnswer(raw: string): RawAnswer | undefined {
  const end = raw.indexOf("\r\n\r\n");
  if (end === -1) return undefined;
  const [statusLine = "", ...lines] = raw.slice(0, end).split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = raw.slice(end + 4);
  let body: string | undefined;
  if (headers["content-length"] !== undefined) {
    const length = Number(headers["content-length"]);
    if (Buffer.byteLength(rest, "latin1") >= length) body = rest.slice(0, length);
  } else if (headers["transfer-encoding"] === "chunked") {
    if (rest.endsWith("0\r\n\r\n")) body = dechunk(rest);
  }
  if (body === undefined) return undefined;
  return {
    status: Number(statusLine.split(" ")[1]),
    headers,
    body: Buffer.from(body, "latin1").toString(),
    raw,
  };
}

function dechunk(text: string): string {
  let out = "";
  let at = 0;
  for (;;) {
    const eol = text.indexOf("\r\n", at);
    const size = Number.parseInt(text.slice(at, eol), 16);
    if (!size) return out;
    out += text.slice(eol + 2, eol + 2 + size);
    at = eol + 2 + size + 2;
  }
}

/**
 * Writes raw bytes to 127.0.0.1:port and resolves with the first complete answer. `halfClose` ends
 * the writing side after the bytes (a client that gives up mid-body). Rejects when nothing complete
 * arrives within `timeoutMs`: a hang is a failure, never a pass.
 */
export function rawRequest(
  port: number,
  data: string | Buffer,
  options: { halfClose?: boolean; timeoutMs?: number } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => {
      socket.write(data);
      if (options.halfClose) socket.end();
    });
    let raw = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new Error(`no complete answer within ${options.timeoutMs ?? 5000} ms; got ${JSON.stringify(raw)}`),
      );
    }, options.timeoutMs ?? 5000);
    const settle = (answer: RawAnswer | undefined) => {
      if (!answer) return;
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    socket.on("data", (chunk: Buffer) => {
      raw += chunk.toString("latin1");
      settle(parseAnswer(raw));
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      clearTimeout(timer);
      const answer = parseAnswer(raw);
      if (answer) resolve(answer);
      else reject(new Error(`connection closed without a complete answer; got ${JSON.stringify(raw)}`));
    });
  });
}

/** Rejects if `promise` has not settled within `ms`: an in-process hang is a failure too. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The own keys of the built-in prototypes a polluting parser would write to. */
export function prototypeKeys(): string[] {
  return [Object.prototype, Array.prototype, Function.prototype, String.prototype].flatMap((proto, i) =>
    Reflect.ownKeys(proto).map((k) => `${i}:${String(k)}`),
  );
}

/** How many cases each bad-input class tried, for the closing table. */
export class Tally {
  readonly #counts = new Map<string, number>();

  add(name: string, n = 1): void {
    this.#counts.set(name, (this.#counts.get(name) ?? 0) + n);
  }

  table(): string {
    const rows = [...this.#counts].sort(([a], [b]) => a.localeCompare(b));
    const width = Math.max(10, ...rows.map(([k]) => k.length));
    const total = rows.reduce((sum, [, n]) => sum + n, 0);
    return [
      `${"bad-input class".padEnd(width)}  cases`,
      ...rows.map(([k, n]) => `${k.padEnd(width)}  ${String(n).padStart(5)}`),
      `${"total".padEnd(width)}  ${String(total).padStart(5)}`,
    ].join("\n");
  }
}
