import { describe, expect, it } from "vitest";
import { createEmulator } from "../../src/emulator/index.js";
import { AUTH, call, control, manualClock, PATHS, VALID_BODY } from "../emulator/helpers.js";

/**
 * Memory is bounded in bytes, whatever the input: what one session or user may hold is limited per
 * field (x-embedkit-limits), and everything held counts in one state budget (x-embedkit-state-budget)
 * that drops expired entries first and then answers 429 instead of growing.
 */
const MiB = 1024 * 1024;
const big = (bytes: number) => "x".repeat(bytes);
const generate = (emu: Awaited<ReturnType<typeof createEmulator>>, extra: Record<string, unknown>) =>
  call(emu, PATHS.cube.generate, { ...VALID_BODY.cube, ...extra }, AUTH.cube);

describe("what one session or user may hold", () => {
  it.each([
    [{ securityContext: { blob: big(100_000) } }, "/securityContext", 65536],
    [{ externalId: big(300) }, "/externalId", 256],
    [{ userAttributes: [{ name: "a", value: big(20_000) }] }, "/userAttributes", 16384],
    [{ userProfile: { displayName: big(20_000) } }, "/userProfile", 16384],
    [{ settings: { locale: big(20_000) } }, "/settings", 16384],
  ])("%#: over its limit → 400 naming the field and the limit", async (extra, pointer, limit) => {
    const emu = await createEmulator({ provider: "cube" });
    const res = await generate(emu, extra);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain(`body${pointer} is `);
    expect(res.body.message).toContain(`over its limit of ${limit} (x-embedkit-limits`);
    expect(((await control(emu, "state")).body.counts as Record<string, number>).activeSessions).toBe(0);
  });

  it("a value within its limit is kept, and config raises a limit", async () => {
    const emu = await createEmulator({ provider: "cube" });
    expect((await generate(emu, { securityContext: { blob: big(60_000) } })).status).toBe(200);
    const raised = await createEmulator({
      provider: "cube",
      config: { requestLimits: { generateSession: { "/securityContext": 200_000 } } },
    });
    expect((await generate(raised, { securityContext: { blob: big(100_000) } })).status).toBe(200);
  });

  it("a limit that is not a byte count is refused at start-up", async () => {
    await expect(
      createEmulator({ provider: "cube", config: { requestLimits: { generateSession: { "/x": -1 } } } }),
    ).rejects.toThrow(/requestLimits/);
  });
});

describe("the state budget", () => {
  it("fills with sessions, answers 429 naming it, and makes room once they expire", async () => {
    const clock = manualClock();
    const emu = await createEmulator({
      provider: "cube",
      clock,
      config: { stateBudgetBytes: MiB, journalBytes: 0 },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++)
      statuses.push((await generate(emu, { securityContext: { blob: big(60_000) } })).status);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(10);
    const refused = await generate(emu, { securityContext: { blob: big(60_000) } });
    expect(refused.status).toBe(429);
    expect(refused.body.message).toContain("state budget of 1048576 bytes is full");
    const state = (await control(emu, "state")).body as { budget: { usedBytes: number; limitBytes: number } };
    expect(state.budget.usedBytes).toBeLessThanOrEqual(state.budget.limitBytes);
    clock.advance(301);
    expect((await generate(emu, { securityContext: { blob: big(60_000) } })).status).toBe(200);
  });

  it("an exchanged or revoked session gives its bytes back", async () => {
    const emu = await createEmulator({
      provider: "cube",
      config: { stateBudgetBytes: MiB, journalBytes: 0 },
    });
    for (let i = 0; i < 60; i++) {
      const made = await generate(emu, { securityContext: { blob: big(60_000) } });
      expect(made.status).toBe(200);
      const sessionId = made.body.sessionId as string;
      const done =
        i % 2
          ? await call(emu, PATHS.cube.exchange, { sessionId })
          : await call(emu, PATHS.cube.revoke, { sessionId }, AUTH.cube);
      expect(done.status).toBeLessThan(300);
    }
  });

  it("revocations are bounded by the budget and kept only as long as a token they affect lives", async () => {
    const clock = manualClock();
    const emu = await createEmulator({
      provider: "cube",
      clock,
      config: { stateBudgetBytes: MiB, journalBytes: 0 },
    });
    let answer = 204;
    let n = 0;
    for (; n < 10_000 && answer === 204; n++) {
      answer = (
        await call(emu, PATHS.cube.revoke, { sessionId: n.toString(16).padStart(32, "0") }, AUTH.cube)
      ).status;
    }
    expect(answer).toBe(429);
    expect(n).toBeLessThan(10_000);
    clock.advance(86_400);
    expect(((await control(emu, "state")).body.counts as Record<string, number>).revokedSessions).toBe(0);
    expect((await call(emu, PATHS.cube.revoke, { sessionId: "f".repeat(32) }, AUTH.cube)).status).toBe(204);
  });

  it("the journal is bounded by bytes as stored, dropping the oldest", async () => {
    const emu = await createEmulator({ provider: "cube", config: { journalBytes: 64 * 1024 } });
    for (let i = 0; i < 30; i++) await generate(emu, { securityContext: { blob: big(15_000) } });
    const state = (await control(emu, "state")).body as { budget: { byKind: { journal: number } } };
    expect(state.budget.byKind.journal).toBeLessThanOrEqual(64 * 1024);
    const requests = (await control(emu, "requests")).body.requests as { seq: number }[];
    expect(requests.length).toBeLessThan(5);
    expect(requests.at(-1)?.seq).toBe(30);
  });

  it("Cube's catalog of embed tenants' definitions keeps to its in-process share, and a reset frees it", async () => {
    // 1 MiB: a sixteenth (64 KiB) for what the provider keeps beside the store.
    const emu = await createEmulator({
      provider: "cube",
      config: { stateBudgetBytes: MiB, journalBytes: 0 },
    });
    const tenant = (i: number) => ({
      creatorMode: true,
      embedTenantName: `tenant-${i}`,
      groupDefinitions: [{ name: `g-${"g".repeat(200)}` }],
    });
    let status = 200;
    let n = 0;
    for (; n < 1_000 && status === 200; n++) status = (await generate(emu, tenant(n))).status;
    expect(status).toBe(429);
    expect(n).toBeGreaterThan(50);
    const state = (await control(emu, "state")).body as {
      budget: { processLimitBytes: number; byKind: { catalog: number } };
    };
    expect(state.budget.processLimitBytes).toBe(MiB / 16);
    expect(state.budget.byKind.catalog).toBeLessThanOrEqual(MiB / 16);
    // A tenant already known still works; a reset frees the share.
    expect((await generate(emu, tenant(0))).status).toBe(200);
    await control(emu, "reset", {});
    expect((await generate(emu, tenant(n))).status).toBe(200);
  });
});
