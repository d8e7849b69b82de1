import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../src/openapi/index.js";

/**
 * Keeps `npm run bench` from rotting: one tiny pass of every part (a second per load run, a few
 * connections). Its figures mean nothing and nothing here asserts a time; it asserts that every
 * part ran, answered 2xx and wrote its results.
 */
const out = mkdtempSync(join(tmpdir(), "embedkit-bench-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("npm run bench -- --smoke", () => {
  it("runs every part and writes results.md and results.json", async () => {
    const root = packageRoot();
    await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", join(root, "bench", "run.ts"), "--smoke", "--out", out],
      {
        cwd: root,
        maxBuffer: 16 << 20,
        timeout: 420_000,
      },
    );
    const results = JSON.parse(readFileSync(join(out, "results.json"), "utf8"));
    expect(results.mode).toBe("smoke");
    expect(results.startup.map((s: { target: string }) => s.target)).toEqual([
      "embedkit emulator",
      "Prism 5.14 (default logging)",
    ]);
    const loads = [
      ...results.generateSession,
      ...results.exchange,
      ...results.minting.explo,
      ...results.minting.toucan,
      ...results.stores.flatMap((s: { generate: unknown; exchange: unknown }) => [s.generate, s.exchange]),
    ];
    expect(loads).toHaveLength(14);
    expect(results.exchange.map((r: { target: string }) => r.target)).toEqual([
      "node:http + Map + jose HS256 (floor)",
      "embedkit emulator",
    ]);
    for (const row of loads) {
      expect(row.total, row.target).toBeGreaterThan(0);
      expect(row.non2xx + row.errors + row.timeouts, row.target).toBe(0);
    }
    expect(results.contract).toHaveLength(6);
    for (const row of results.contract) expect(row.failures, `${row.provider} ${row.transport}`).toBe(0);
    expect(results.memory.map((m: { store: string; sessions: number }) => [m.store, m.sessions])).toEqual([
      ["memory", 1000],
      ["Redis", 1000],
    ]);
    for (const m of results.memory) expect(m.liveStateBytes, m.store).toBeGreaterThan(0);
    expect(readFileSync(join(out, "results.md"), "utf8")).toContain("## Ratios (same run)");
  }, 480_000);
});
