import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectRedis,
  createEmulator,
  type Emulator,
  memoryBackend,
  type StoreBackend,
} from "../../src/emulator/index.js";
import type { ProviderId } from "../../src/openapi/index.js";
import { type RedisServer, startRedis } from "../support/redis-server.js";
import { AUTH, call, control, isEnvelope, manualClock, PATHS, VALID_BODY } from "./helpers.js";

let redis: RedisServer;
const opened: StoreBackend[] = [];
const emulators: Emulator[] = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await Promise.all(emulators.map((e) => e.close()));
  await Promise.all(opened.map((b) => b.close()));
  await redis?.stop();
});

let prefixes = 0;

/**
 * The same behaviour, whatever holds the state. With memory, "both replicas" are one emulator; with
 * Redis they are two emulators on two connections sharing one prefix, so every case below also
 * proves that what one replica does, the other sees.
 */
const STORES: [string, () => Promise<[StoreBackend, StoreBackend]>][] = [
  [
    "memory",
    async () => {
      const one = memoryBackend();
      return [one, one];
    },
  ],
  [
    "redis",
    async () => {
      const keyPrefix = `behaviour${prefixes++}:`;
      const open = () => connectRedis({ url: redis.url, keyPrefix, commandTimeoutMs: 2_000 });
      const pair = await Promise.all([open(), open()]);
      opened.push(...pair);
      return pair;
    },
  ],
];

describe.each(STORES)("behaviour with the %s store", (_name, backends) => {
  async function replicas(provider: ProviderId, config?: Record<string, unknown>) {
    const [first, second] = await backends();
    const clock = manualClock();
    const a = await createEmulator({ provider, clock, store: first, ...(config ? { config } : {}) });
    const b =
      first === second
        ? a
        : await createEmulator({ provider, clock, store: second, ...(config ? { config } : {}) });
    emulators.push(a, b);
    return { a, b, clock };
  }

  const session = async (emu: Emulator, externalId = "user@example.com") => {
    const res = await call(emu, PATHS.cube.generate, { ...VALID_BODY.cube, externalId }, AUTH.cube);
    expect(res.status).toBe(200);
    return String(res.body.sessionId);
  };
  const exchange = (emu: Emulator, sessionId: string) => call(emu, PATHS.cube.exchange, { sessionId });

  it("exchanges a session exactly once among 300 concurrent exchanges split across replicas", async () => {
    const { a, b } = await replicas("cube");
    const id = await session(a);
    const answers = await Promise.all(Array.from({ length: 300 }, (_, i) => exchange(i % 2 ? a : b, id)));
    expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
    const refused = answers.filter((r) => r.status !== 200);
    expect(refused.every((r) => r.status === 401 && isEnvelope("cube", r.body, 401))).toBe(true);
  });

  it("stops concurrent user creation across replicas exactly at the limit", async () => {
    const { a, b } = await replicas("cube", { maxExternalUsers: 40 });
    const answers = await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        call(i % 2 ? a : b, PATHS.cube.generate, { ...VALID_BODY.cube, externalId: `u${i}` }, AUTH.cube),
      ),
    );
    expect(answers.filter((r) => r.status === 200)).toHaveLength(40);
    expect(answers.filter((r) => r.status === 429)).toHaveLength(80);
    const state = await control(b, "state");
    expect(state.body.counts).toMatchObject({ users: 40, activeSessions: 40 });
  });

  it("refuses on one replica a session revoked on the other, and the tokens minted from it", async () => {
    const { a, b } = await replicas("cube");
    const minted = await session(a);
    const token = String((await exchange(b, minted)).body.token);
    const pending = await session(a);
    for (const id of [minted, pending]) {
      expect((await call(a, PATHS.cube.revoke, { sessionId: id }, AUTH.cube)).status).toBe(204);
    }
    expect((await exchange(b, pending)).status).toBe(401);
    expect((await control(b, "introspect", { token })).body).toMatchObject({
      valid: false,
      reason: "revoked",
    });
  });

  it("expires sessions on both replicas when the clock moves on one", async () => {
    const { a, b } = await replicas("cube");
    const early = await session(b);
    const late = await session(b);
    expect((await control(a, "clock", { advanceSeconds: 299 })).status).toBe(200);
    expect((await exchange(b, early)).status).toBe(200);
    await control(a, "clock", { advanceSeconds: 1 });
    expect((await exchange(b, late)).status).toBe(401);
    expect((await control(b, "clock")).body.offsetMs).toBe(300_000);
  });

  it("fires on one replica a fault set on the other, as many times as it was told", async () => {
    const { a, b } = await replicas("toucan");
    const fault = { operationId: "generateToken", status: 503, count: 2 };
    expect((await control(a, "faults", fault)).status).toBe(200);
    const statuses = [];
    for (const emu of [b, a, b])
      statuses.push((await call(emu, PATHS.toucan.generate, VALID_BODY.toucan, AUTH.toucan)).status);
    expect(statuses).toEqual([503, 503, 200]);
  });

  it("counts one rate-limit window per client across replicas", async () => {
    const { a, b } = await replicas("explo", {
      rateLimit: { enabled: true, requests: 5, windowSeconds: 60 },
    });
    const statuses = [];
    for (let i = 0; i < 8; i++)
      statuses.push((await call(i % 2 ? a : b, PATHS.explo.generate, VALID_BODY.explo, AUTH.explo)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    await control(a, "clock", { advanceSeconds: 60 });
    expect((await call(b, PATHS.explo.generate, VALID_BODY.explo, AUTH.explo)).status).toBe(200);
  });

  it("forgets on every replica what a reset on one clears", async () => {
    const { a, b } = await replicas("cube");
    const id = await session(a);
    await control(a, "clock", { advanceSeconds: 10 });
    expect((await control(b, "reset", {})).status).toBe(200);
    expect((await exchange(a, id)).status).toBe(401);
    expect((await control(a, "clock")).body.offsetMs).toBe(0);
    expect((await control(a, "state")).body.counts).toMatchObject({ activeSessions: 0, users: 0 });
  });

  it("holds one state budget across replicas: what either keeps counts, 429 past it, bytes back on exchange", async () => {
    const budget = { stateBudgetBytes: 1024 * 1024, journalBytes: 0 };
    const { a, b, clock } = await replicas("cube", budget);
    const big = { ...VALID_BODY.cube, securityContext: { blob: "x".repeat(60_000) } };
    const statuses: number[] = [];
    const ids: string[] = [];
    for (let i = 0; i < 24; i++) {
      const res = await call(i % 2 ? a : b, PATHS.cube.generate, big, AUTH.cube);
      statuses.push(res.status);
      if (res.status === 200) ids.push(String(res.body.sessionId));
    }
    // 1 MiB holds 17 such sessions (60 KB each), whichever replica made them; then 429.
    const made = statuses.filter((s) => s === 200).length;
    expect(made).toBeGreaterThanOrEqual(16);
    expect(made).toBeLessThanOrEqual(17);
    expect(statuses.slice(made).every((s) => s === 429)).toBe(true);
    const seen = await Promise.all([a, b].map(async (e) => (await control(e, "state")).body.budget));
    expect(seen[0]).toEqual(seen[1]);
    expect(seen[0]).toMatchObject({ limitBytes: 1024 * 1024 });
    expect((seen[0] as { usedBytes: number }).usedBytes).toBeLessThanOrEqual(1024 * 1024);
    // An exchange on one replica gives the bytes back to both.
    expect((await exchange(a, ids[0] as string)).status).toBe(200);
    expect((await call(b, PATHS.cube.generate, big, AUTH.cube)).status).toBe(200);
    // Expired sessions go first when it is full.
    clock.advance(301);
    expect((await call(a, PATHS.cube.generate, big, AUTH.cube)).status).toBe(200);
  });
});
