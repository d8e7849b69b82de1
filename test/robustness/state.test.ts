import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, describe, expect, it } from "vitest";
import { createEmulator, type Emulator } from "../../src/emulator/index.js";
import { AUTH, call, control, manualClock, PATHS } from "../emulator/helpers.js";

/** State that stays right under races, expiry and resets, over real sockets where races are real. */
const open: Emulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});

async function cube(config: Record<string, unknown> = {}, clock = manualClock()) {
  const emu = await createEmulator({ provider: "cube", config, clock });
  open.push(emu);
  return { emu, clock, base: (await emu.listen(0)).url };
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

const generate = (base: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  post(
    `${base}/v1/embed/generate-session`,
    { deploymentId: 32, externalId: "user@example.com", ...body },
    { ...AUTH.cube, ...headers },
  );

async function statuses(responses: Promise<Response>[]): Promise<Record<number, number>> {
  const counts: Record<number, number> = {};
  for (const res of await Promise.all(responses)) {
    counts[res.status] = (counts[res.status] ?? 0) + 1;
    const body = (await res.json()) as Record<string, unknown>;
    if (res.status >= 400) expect(body.statusCode).toBe(res.status);
  }
  return counts;
}

interface CubeState {
  counts: { activeSessions: number; users: number; revokedSessions: number };
  counters: { created: number; exchanged: number; revoked: number; refusedExchanges: number };
  sessions: { externalId?: string }[];
  users: { externalId: string; sessions: number }[];
}

const state = async (emu: Emulator) => (await control(emu, "state")).body as unknown as CubeState;

describe("single use under concurrency", () => {
  it.each([1, 2, 3])("round %i: 500 concurrent exchanges of one session → exactly one 200", async () => {
    const { base } = await cube();
    const { sessionId } = (await (await generate(base, {})).json()) as { sessionId: string };
    const exchanges = Array.from({ length: 500 }, () =>
      post(`${base}/v1/embed/session/token`, { sessionId }),
    );
    expect(await statuses(exchanges)).toEqual({ 200: 1, 401: 499 });
  });
});

describe("expiry keeps memory bounded", () => {
  it("sweeps expired sessions and, after the token lifetime, revoked ids", async () => {
    const { emu, clock } = await cube();
    const ids: string[] = [];
    for (let i = 0; i < 2_000; i++)
      ids.push(
        (
          await call(
            emu,
            PATHS.cube.generate,
            { deploymentId: 32, externalId: "user@example.com" },
            AUTH.cube,
          )
        ).body.sessionId as string,
      );
    for (const sessionId of ids.slice(0, 100)) await call(emu, PATHS.cube.revoke, { sessionId }, AUTH.cube);
    expect((await state(emu)).counts).toEqual({ activeSessions: 1_900, users: 1, revokedSessions: 100 });
    clock.advance(299);
    expect((await state(emu)).counts.activeSessions).toBe(1_900);
    clock.advance(2);
    expect((await state(emu)).counts).toEqual({ activeSessions: 0, users: 1, revokedSessions: 100 });
    expect((await call(emu, PATHS.cube.exchange, { sessionId: ids[150] })).status).toBe(401);
    clock.advance(86_400);
    expect((await state(emu)).counts.revokedSessions).toBe(0);
  });

  it("bounds unexchanged sessions by count, and frees the room as they expire without any sweep call", async () => {
    const { emu, clock } = await cube({ maxActiveSessions: 100 });
    const made = [];
    for (let i = 0; i < 101; i++)
      made.push(
        await call(emu, PATHS.cube.generate, { deploymentId: 32, externalId: "user@example.com" }, AUTH.cube),
      );
    expect(made.filter((r) => r.status === 200)).toHaveLength(100);
    const refused = made[100];
    expect([refused?.status, refused?.body.statusCode, refused?.headers.get("retry-after")]).toEqual([
      429,
      429,
      "60",
    ]);
    clock.advance(301);
    // generate-session itself drops the expired sessions at the front before checking the bound.
    expect(
      (await call(emu, PATHS.cube.generate, { deploymentId: 32, externalId: "user@example.com" }, AUTH.cube))
        .status,
    ).toBe(200);
  });
});

describe("the external-user limit holds exactly under concurrent creation", () => {
  it("limit 50, 200 concurrent distinct externalIds over a socket → 50 × 200, 150 × 429", async () => {
    const { emu, base } = await cube({ maxExternalUsers: 50 });
    const creations = Array.from({ length: 200 }, (_, i) =>
      generate(base, { externalId: `user-${i}@example.com` }),
    );
    expect(await statuses(creations)).toEqual({ 200: 50, 429: 150 });
    expect((await state(emu)).counts.users).toBe(50);
    const known = (await state(emu)).users[0]?.externalId as string;
    // An existing user (in any case and spacing) still gets sessions; a new one does not.
    expect((await generate(base, { externalId: `  ${known.toUpperCase()} ` })).status).toBe(200);
    expect((await generate(base, { externalId: "newcomer@example.com" })).status).toBe(429);
  });

  it("at the limit, 20 concurrent requests for the same new user all succeed and count once", async () => {
    const { emu, base } = await cube({ maxExternalUsers: 50 });
    await statuses(Array.from({ length: 49 }, (_, i) => generate(base, { externalId: `u${i}` })));
    const same = Array.from({ length: 20 }, (_, i) =>
      generate(base, { externalId: i % 2 ? "Last@X.io" : "last@x.io" }),
    );
    expect(await statuses(same)).toEqual({ 200: 20 });
    expect((await state(emu)).counts.users).toBe(50);
  });

  it("the real 10,000: exactly 10,000 distinct users, then 429 for every newcomer", async () => {
    const { emu } = await createEmulatorInProcess();
    for (let batch = 0; batch < 20; batch++) {
      const made = await Promise.all(
        Array.from({ length: 500 }, (_, i) =>
          call(emu, PATHS.cube.generate, { deploymentId: 32, externalId: `u${batch * 500 + i}` }, AUTH.cube),
        ),
      );
      expect(made.every((r) => r.status === 200)).toBe(true);
    }
    const over = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        call(emu, PATHS.cube.generate, { deploymentId: 32, externalId: `late${i}` }, AUTH.cube),
      ),
    );
    expect(over.map((r) => r.status)).toEqual(Array(100).fill(429));
    expect((await state(emu)).counts.users).toBe(10_000);
  });
});

async function createEmulatorInProcess() {
  const emu = await createEmulator({ provider: "cube", clock: manualClock() });
  open.push(emu);
  return { emu };
}

describe("reset while requests are in flight", () => {
  it("leaves no half state: every session has its user and the counters add up", async () => {
    const { emu, base } = await cube();
    const before = await Promise.all(
      Array.from({ length: 30 }, (_, i) => generate(base, { externalId: `old${i}` })),
    );
    const oldIds = await Promise.all(
      before.map(async (r) => ((await r.json()) as { sessionId: string }).sessionId),
    );
    const wave = (n: number) =>
      Array.from({ length: n }, (_, i) =>
        i % 3 === 2
          ? post(
              `${base}/v1/embed/session/token`,
              { sessionId: oldIds[i % oldIds.length] },
              { prefer: `delay=${i % 40}` },
            )
          : generate(base, { externalId: `user${i % 40}` }, { prefer: `delay=${(i * 7) % 60}` }),
      );
    const first = wave(150);
    await new Promise((resolve) => setTimeout(resolve, 15));
    const reset = post(`${base.replace(/\/api$/, "")}/__embedkit/reset`, {});
    const all = await statuses([...first, reset, ...wave(150)]);
    expect(Object.keys(all).every((s) => Number(s) < 500)).toBe(true);

    const s = await state(emu);
    expect(s.counters.created - s.counters.exchanged).toBe(s.counts.activeSessions);
    const users = new Map(s.users.map((u) => [u.externalId, u.sessions]));
    expect(users.size).toBe(s.counts.users);
    for (const session of s.sessions) expect(users.has(session.externalId as string)).toBe(true);
    expect([...users.values()].reduce((a, b) => a + b, 0)).toBe(s.counters.created);
    expect((await post(`${base}/v1/embed/session/token`, { sessionId: oldIds[0] })).status).toBe(401);
    const fresh = (await (await generate(base, { externalId: "after@x.io" })).json()) as {
      sessionId: string;
    };
    expect((await post(`${base}/v1/embed/session/token`, fresh)).status).toBe(200);
  });
});

describe("the journal stays bounded", () => {
  it("does not keep 50 bodies of ~1 MB each (heap grows by far less than they would take)", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const emu = await createEmulator({ provider: "cube", config: { journalSize: 50 } });
    open.push(emu);
    const big = `{"sessionId":"${"a".repeat(32)}","pad":[${Array(450_000).fill(0).join(",")}]}`;
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    for (let i = 0; i < 50; i++) expect((await call(emu, PATHS.cube.exchange, big)).status).toBeLessThan(500);
    gc();
    const grownMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    // Kept whole, 50 parsed arrays of 450,000 numbers would hold ~170 MB.
    expect(grownMb).toBeLessThan(40);
  });
});
