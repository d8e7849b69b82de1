import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.js";
import { PROVIDER_IDS, type ProviderId } from "../../src/openapi/index.js";
import { quietEmulator, rawRequest, within } from "./support.js";

/**
 * The control plane is input too: every route, every content type, numbers out of range, wrong
 * types and deeply nested tokens get a 4xx (or their 2xx), never a 5xx, never a throw from
 * `emulator.fetch()`, and the emulator still answers `health`, `clock` and `requests` afterwards.
 */
const ROUTES = [
  ["GET", "health"],
  ["POST", "reset"],
  ["GET", "requests"],
  ["DELETE", "requests"],
  ["GET", "state"],
  ["GET", "faults"],
  ["POST", "faults"],
  ["DELETE", "faults"],
  ["GET", "clock"],
  ["POST", "clock"],
  ["POST", "introspect"],
] as const;

const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/xml",
  "",
];

/** A JWS-shaped token whose header is nested `depth` levels deep. */
const deepToken = (depth: number) =>
  `${Buffer.from(`${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`).toString("base64url")}.e30.c2ln`;

const HUGE = [1e300, -1e300, 1e21, -1e21, 2 ** 53, Number.MAX_VALUE, 8.64e15, -8.64e15, 1e-300];

/** Bodies that a careless control plane would turn into a 500 or a broken clock. */
const NASTY: unknown[] = [
  ...HUGE.map((advanceSeconds) => ({ advanceSeconds })),
  ...HUGE.map((set) => ({ set })),
  { set: "275760-09-13T00:00:00.001Z" },
  { set: "-271821-04-20T00:00:00.000Z" },
  { set: "" },
  { advanceSeconds: "1" },
  { token: deepToken(5_000) },
  { token: deepToken(100) },
  { token: `${"a".repeat(2_000_000)}` },
  { token: "e30.e30.e30.e30.e30" },
  {
    token: `${Buffer.from('{"alg":"HS256"}').toString("base64url")}.${Buffer.from("[".repeat(5000)).toString("base64url")}.x`,
  },
  { operationId: "generateSession", status: 503, delayMs: 1e300 },
  { operationId: "generateSession", status: 1e300 },
  { operationId: "generateSession", status: 503, count: 1e300 },
  { operationId: "generateSession", status: 503, probability: 1e-300 },
  [],
  null,
  "x",
  7,
];

function bodyOf(value: unknown): string {
  return typeof value === "string" && value.startsWith("raw:") ? value.slice(4) : JSON.stringify(value);
}

const emulators = new Map<ProviderId, Emulator>();
beforeAll(async () => {
  for (const id of PROVIDER_IDS) emulators.set(id, await quietEmulator(id));
});
afterAll(async () => {
  await Promise.all([...emulators.values()].map((e) => e.close()));
});

async function call(emu: Emulator, method: string, name: string, type: string, body?: string) {
  const headers: Record<string, string> = type ? { "content-type": type } : {};
  const init: RequestInit = { method, headers };
  if (body !== undefined && method !== "GET") init.body = body;
  const res = await within(
    emu.fetch(new Request(`http://emulator.test/__embedkit/${name}`, init)),
    10_000,
    name,
  );
  return { status: res.status, text: await res.text() };
}

async function stillHealthy(emu: Emulator): Promise<void> {
  for (const name of ["health", "clock", "requests", "state"]) {
    const res = await call(emu, "GET", name, "");
    expect(res.status, `${name} after the attack: ${res.text.slice(0, 200)}`).toBe(200);
  }
}

describe.each(PROVIDER_IDS)("%s control plane", (provider) => {
  it.each(NASTY.map((body) => [JSON.stringify(body)?.slice(0, 80) ?? String(body), body]))(
    "every route with %s: no 5xx, and it stays healthy",
    async (_label, body) => {
      const emu = emulators.get(provider) as Emulator;
      for (const [method, name] of ROUTES) {
        const res = await call(emu, method, name, "application/json", bodyOf(body));
        expect(res.status, `${method} ${name}: ${res.text.slice(0, 200)}`).toBeLessThan(500);
      }
      await stillHealthy(emu);
      await call(emu, "POST", "reset", "application/json", "{}");
    },
  );

  it("random bodies, content types and query strings: no 5xx (property)", async () => {
    const emu = emulators.get(provider) as Emulator;
    const number = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(...HUGE));
    const value = fc.oneof(
      number,
      fc.string(),
      fc.boolean(),
      fc.constant(null),
      fc.jsonValue({ maxDepth: 3 }),
    );
    const body = fc.oneof(
      fc.dictionary(
        fc.constantFrom(
          "advanceSeconds",
          "set",
          "token",
          "operationId",
          "status",
          "delayMs",
          "probability",
          "count",
        ),
        value,
      ),
      fc.jsonValue({ maxDepth: 4 }),
      fc.string().map((s) => `raw:${s}`),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        fc.constantFrom(...CONTENT_TYPES),
        body,
        fc.oneof(
          fc.constant(""),
          fc.string({ maxLength: 20 }).map((s) => `limit=${encodeURIComponent(s)}`),
          fc.constantFrom("limit=0", "limit=-1", "limit=1e300", "operationId=nope"),
        ),
        async ([method, name], type, b, query) => {
          const res = await call(emu, method, `${name}${query ? `?${query}` : ""}`, type, bodyOf(b));
          expect(res.status, `${method} ${name}?${query} ${type}: ${res.text.slice(0, 200)}`).toBeLessThan(
            500,
          );
        },
      ),
      { seed: 10, numRuns: 300 },
    );
    await stillHealthy(emu);
  });
});

describe("over a socket", () => {
  it.each([
    ["POST /__embedkit/clock", '{"advanceSeconds":1e300}', 400],
    ["POST /__embedkit/introspect", JSON.stringify({ token: deepToken(5_000) }), 200],
  ])("%s %s: %i, then health still 200", async (line, body, status) => {
    const emu = await quietEmulator("cube");
    const { port } = await emu.listen(0);
    try {
      const answer = await rawRequest(
        port,
        `${line} HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      expect(answer.status).toBe(status);
      const health = await rawRequest(
        port,
        "GET /__embedkit/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
      );
      expect(health.status).toBe(200);
    } finally {
      await emu.close();
    }
  });
});
