import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectRedis,
  memoryBackend,
  RECORD_OVERHEAD_BYTES,
  StateBudgetFullError,
  type Store,
  type StoreBackend,
  type StoreOptions,
  StoreUnavailableError,
} from "../../src/emulator/kit/store/index.js";
import { type RedisServer, startRedis } from "../support/redis-server.js";

let redis: RedisServer;
const backends: StoreBackend[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await Promise.all(backends.map((b) => b.close()));
  await redis?.stop();
});

let n = 0;
/** A table of stores: every case below runs against each; each case gets keys of its own. */
const STORES: [string, (provider?: string, options?: StoreOptions) => Promise<Store>][] = [
  ["memory", async (provider = "cube", options = {}) => memoryBackend().open(provider, options)],
  [
    "redis",
    async (provider = "cube", options = {}) => {
      const backend = await connectRedis({ url: redis.url, keyPrefix: `t${n++}:`, commandTimeoutMs: 2_000 });
      backends.push(backend);
      return backend.open(provider, options);
    },
  ],
];

describe.each(STORES)("store: %s", (_name, open) => {
  it("counts records in bytes against its budget, refuses past it without writing, and gives bytes back", async () => {
    const record = { pad: "x".repeat(10) }; // {"pad":"xxxxxxxxxx"}: 20 bytes of JSON
    const each = 20 + RECORD_OVERHEAD_BYTES;
    const store = await open("cube", { budgetBytes: 3 * each });
    const sessions = store.collection("sessions", { expiring: true });
    const revoked = store.collection("revoked", { expiring: true });
    const users = store.collection("users", { expiring: false });
    expect(await sessions.insert("a", record, { now: 0, expiresAt: 100 })).toBe(true);
    expect(await revoked.put("r", record, { now: 0, expiresAt: 50 })).toBe(true);
    const create = { create: record, set: {}, incr: {} };
    expect(await users.upsert("u", create, { now: 0, cap: 10 })).toBe("created");
    expect(await store.bytes()).toEqual({ sessions: each, revoked: each, users: each });
    // Full: a new record, a record that grows, a replacement that grows: refused, nothing written.
    await expect(sessions.insert("b", record, { now: 0, expiresAt: 100 })).rejects.toBeInstanceOf(
      StateBudgetFullError,
    );
    const grow = { create: record, set: { pad: "x".repeat(11) }, incr: {} };
    await expect(users.upsert("u", grow, { now: 0, cap: 10 })).rejects.toBeInstanceOf(StateBudgetFullError);
    await expect(revoked.put("r", { pad: "y".repeat(11) }, { now: 0, expiresAt: 50 })).rejects.toBeInstanceOf(
      StateBudgetFullError,
    );
    expect(await sessions.count(0)).toBe(1);
    expect(await users.get("u")).toEqual(record);
    expect(await revoked.get("r")).toEqual(record);
    // What expires, is taken or removed gives its bytes back.
    await revoked.sweep(60);
    expect(await sessions.insert("b", record, { now: 60, expiresAt: 100 })).toBe(true);
    expect(await sessions.take("a")).toEqual(record);
    await sessions.remove("b");
    expect(await store.bytes()).toEqual({ sessions: 0, revoked: 0, users: each });
    await store.reset();
    expect(await store.bytes()).toEqual({});
  });

  it("hands out copies: changing a record read from it changes nothing it holds", async () => {
    const store = await open();
    const sessions = store.collection("sessions", { expiring: true });
    await sessions.insert("s", { claims: { groups: ["a"] } }, { now: 0, expiresAt: 100 });
    const read = (await sessions.get("s")) as { claims: { groups: string[] } };
    read.claims.groups.push("admin");
    expect(await sessions.get("s")).toEqual({ claims: { groups: ["a"] } });
    expect((await sessions.latest(1))[0]).toEqual({ claims: { groups: ["a"] } });
  });

  it("takes a record exactly once among 200 concurrent takers", async () => {
    const store = await open();
    const sessions = store.collection("sessions", { expiring: true });
    expect(await sessions.insert("s1", { a: 1 }, { now: 0, expiresAt: 1_000 })).toBe(true);
    const taken = await Promise.all(Array.from({ length: 200 }, () => sessions.take("s1")));
    expect(taken.filter((t) => t !== undefined)).toEqual([{ a: 1 }]);
  });

  it("caps live records, counting expired ones out", async () => {
    const store = await open();
    const sessions = store.collection("sessions", { expiring: true });
    expect(await sessions.insert("a", {}, { now: 0, expiresAt: 100, cap: 2 })).toBe(true);
    expect(await sessions.insert("b", {}, { now: 0, expiresAt: 200, cap: 2 })).toBe(true);
    expect(await sessions.insert("c", {}, { now: 50, expiresAt: 300, cap: 2 })).toBe(false);
    expect(await sessions.insert("c", {}, { now: 100, expiresAt: 300, cap: 2 })).toBe(true);
    expect(await sessions.count(150)).toBe(2);
    expect(await sessions.count(200)).toBe(1);
  });

  it("upserts up to a cap, exactly, under 300 concurrent creations", async () => {
    const store = await open();
    const users = store.collection("users", { expiring: false });
    const outcomes = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        users.upsert(`u${i}`, { create: { id: i, sessions: 1 }, set: {}, incr: {} }, { now: i, cap: 100 }),
      ),
    );
    expect(outcomes.filter((o) => o === "created")).toHaveLength(100);
    expect(outcomes.filter((o) => o === "full")).toHaveLength(200);
    expect(await users.count(0)).toBe(100);
    const again = await users.upsert(
      "u0",
      { create: {}, set: { email: "x@y.z" }, incr: { sessions: 2 } },
      { now: 1, cap: 100 },
    );
    expect(again).toBe("updated");
    expect(await users.get("u0")).toEqual({ id: 0, sessions: 3, email: "x@y.z" });
  });

  it("lists the latest records oldest first, and puts report whether the id was new", async () => {
    const store = await open();
    const revoked = store.collection("revoked", { expiring: true });
    expect(await revoked.put("r1", { at: 1 }, { now: 1, expiresAt: 10 })).toBe(true);
    expect(await revoked.put("r1", { at: 2 }, { now: 2, expiresAt: 11 })).toBe(false);
    await revoked.put("r2", { at: 3 }, { now: 3, expiresAt: 12 });
    expect(await revoked.latest(5)).toEqual([{ at: 2 }, { at: 3 }]);
    await revoked.sweep(11);
    expect(await revoked.count(11)).toBe(1);
    await revoked.remove("r2");
    expect(await revoked.get("r2")).toBeUndefined();
  });

  it("shares the clock offset, draws faults with their count and counts rate windows", async () => {
    const store = await open();
    expect(await store.advanceClock(1500)).toBe(1500);
    expect(await store.advanceClock(-500)).toBe(1000);
    await store.setFault({ operationId: "op", status: 503, delayMs: 0, probability: 1, count: 2 });
    const q = { operationId: "op", baseNow: 10_000, random: 0.5 };
    const first = await store.admit(q);
    expect(first).toMatchObject({ offsetMs: 1000, fault: { status: 503, count: 1 } });
    expect((await store.admit(q)).fault?.status).toBe(503);
    expect((await store.admit(q)).fault).toBeUndefined();
    await store.setFault({ operationId: "op", status: 500, delayMs: 0, probability: 0.25 });
    expect((await store.admit({ ...q, random: 0.3 })).fault).toBeUndefined();
    expect((await store.admit({ ...q, random: 0.2 })).fault?.status).toBe(500);
    expect(await store.listFaults()).toHaveLength(1);
    await store.clearFaults("op");
    expect(await store.listFaults()).toEqual([]);
    const rate = { client: "10.0.0.1", limit: 2, windowMs: 60_000 };
    const hits = [];
    for (let i = 0; i < 3; i++) hits.push((await store.admit({ ...q, rate })).retryAfter);
    expect(hits).toEqual([undefined, undefined, 60]);
    await store.advanceClock(60_000);
    expect((await store.admit({ ...q, rate })).retryAfter).toBeUndefined();
  });

  it("reset forgets this provider's state and nothing else", async () => {
    const backendStore = await open();
    const other = await open("explo");
    await other.setClockOffset(7);
    await backendStore.setClockOffset(42);
    const counters = backendStore.counters("cube");
    counters.add("created", 2);
    await backendStore.collection("users", { expiring: false }).put("u", {}, { now: 0 });
    expect(await counters.read()).toEqual({ created: 2 });
    await backendStore.reset();
    expect(await backendStore.clockOffset()).toBe(0);
    expect(await counters.read()).toEqual({});
    expect(await backendStore.collection("users", { expiring: false }).count(0)).toBe(0);
    expect(await other.clockOffset()).toBe(7);
  });
});

describe("store: memory", () => {
  it("keeps large records outside the JS heap, each in a buffer of its own size", async () => {
    // V8 lets its heap grow to a multiple of what is live, so 64 MiB of sessions kept as objects
    // cost far more RSS than 64 MiB (bench:soak); in buffers they cost their bytes.
    const store = memoryBackend().open("cube", {});
    const sessions = store.collection("sessions", { expiring: true });
    const before = process.memoryUsage().arrayBuffers;
    const blob = "y".repeat(200_000);
    for (let i = 0; i < 20; i++) {
      await sessions.insert(`s${i}`, { blob, i }, { now: 0, expiresAt: 100 });
    }
    const grown = process.memoryUsage().arrayBuffers - before;
    expect(grown).toBeGreaterThan(20 * 200_000);
    expect(grown).toBeLessThan(20 * 200_000 * 1.5);
    expect(await sessions.take("s7")).toEqual({ blob, i: 7 });
    // Small records stay as they were (strings): no buffer per session for 100,000 small ones.
    const small = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < 1000; i++) await sessions.insert(`t${i}`, { i }, { now: 0, expiresAt: 100 });
    expect(process.memoryUsage().arrayBuffers - small).toBeLessThan(64 * 1024);
  });
});

describe("store: a Redis that stops answering", () => {
  it("fails every command within its timeout instead of waiting forever, and works again once Redis answers", async () => {
    const backend = await connectRedis({ url: redis.url, keyPrefix: `t${n++}:`, commandTimeoutMs: 300 });
    backends.push(backend);
    const store = backend.open("cube");
    const sessions = store.collection("sessions", { expiring: true });
    expect(await sessions.insert("s", { a: 1 }, { now: 0, expiresAt: 1_000 })).toBe(true);
    // Paused, Redis keeps the connection open and reads nothing: the commands below are written
    // to the socket and never answered, which a timeout on writing alone does not cover.
    redis.pause();
    let outcomes: PromiseSettledResult<unknown>[];
    try {
      outcomes = await Promise.allSettled([
        sessions.get("s"),
        store.admit({ operationId: "generateSession", baseNow: 0, random: 0 }),
        store.clockOffset(),
      ]);
    } finally {
      redis.resume();
    }
    for (const outcome of outcomes) {
      expect(outcome.status).toBe("rejected");
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(StoreUnavailableError);
    }
    expect(await sessions.take("s")).toEqual({ a: 1 });
    expect(await store.clockOffset()).toBe(0);
  });
});
