import { describe, expect, it } from "vitest";
import { type Phase, runContract, type Summary } from "../../src/contract/index.js";
import { createEmulator } from "../../src/emulator/index.js";
import { PROVIDER_IDS, type ProviderId, specPath } from "../../src/openapi/index.js";
import { manualClock } from "../emulator/helpers.js";
import { contractSuite, inProcessBase, run } from "./contract-suite.js";

contractSuite(PROVIDER_IDS);

it("cube: single-use ran against the emulator and passed (what a stateless mock cannot)", async () => {
  const summary = await run("cube", "in-process");
  expect(summary.table.postTokenBySessionId?.["single-use"]).toMatchObject({ passed: 1, failed: 0 });
});

/**
 * With a rate limit on, a contract run sends more than the limit allows. The 429s are declared,
 * so status, schema and header checks hold (Retry-After is present and valid); the checks that
 * needed an answer about the request report it as throttled, never as the defect they look for.
 */
interface Limited {
  provider: ProviderId;
  config: Record<string, unknown>;
  maxCases: number;
  /** Cube declares 429 on generate-session only (its user limit), so only that one is judged. */
  operations?: string[];
  phases?: Phase[];
}
const LIMIT_20 = { rateLimit: { enabled: true, requests: 20, windowSeconds: 60 } };
const LIMITED: Limited[] = [
  { provider: "explo", config: {}, maxCases: 200 }, // the spec's own 180 a minute, on by default
  { provider: "toucan", config: LIMIT_20, maxCases: 50 },
  {
    provider: "cube",
    config: LIMIT_20,
    maxCases: 50,
    operations: ["generateSession"],
    phases: ["examples", "positive", "negative", "auth"],
  },
];

type Clock = ReturnType<typeof manualClock>;

async function limitedRun(l: Limited, retry: (clock: Clock) => Record<string, unknown>) {
  const clock = manualClock();
  const emulator = await createEmulator({ provider: l.provider, config: l.config, clock });
  try {
    return await runContract({
      spec: specPath(l.provider),
      fetch: (r: Request) => emulator.fetch(r),
      target: inProcessBase(l.provider),
      auth: emulator.credentials.auth,
      tokenKeys: emulator.credentials.tokenKeys,
      seed: 1,
      maxCases: l.maxCases,
      retry: retry(clock),
      ...(l.operations ? { operations: l.operations } : {}),
      ...(l.phases ? { phases: l.phases } : {}),
    }).summary;
  } finally {
    await emulator.close();
  }
}

const headerTally = (summary: Summary) => {
  const cells = Object.values(summary.table).map((row) => row["response-headers-conformance"]);
  return {
    passed: cells.reduce((n, t) => n + (t?.passed ?? 0), 0),
    failed: cells.reduce((n, t) => n + (t?.failed ?? 0), 0),
  };
};

describe("rate limit switched on", () => {
  it.each(LIMITED)(
    "$provider: the run waits out each Retry-After (by moving the emulator's clock) and stays green",
    async (l) => {
      const summary = await limitedRun(l, (clock) => ({
        sleep: async (ms: number) => clock.advance(ms / 1000),
      }));
      expect(summary.failures.map((f) => `${f.check}: ${f.message}`)).toEqual([]);
      expect(summary.retries.count).toBeGreaterThan(0);
    },
  );

  it.each(LIMITED)(
    "$provider: with --retry-wait 0 the 429s are reported as throttling, and their headers conform",
    async (l) => {
      const summary = await limitedRun(l, () => ({ maxWaitMs: 0 }));
      expect(summary.failures.length).toBeGreaterThan(0);
      expect(summary.retries.count).toBe(0);
      for (const f of summary.failures) {
        expect(f.check).toBe("positive-data-acceptance");
        expect(f.actual).toBe("429");
        expect(f.message).toMatch(/^the service throttled the run \(429, Retry-After \d+\)/);
      }
      expect(headerTally(summary)).toMatchObject({ failed: 0 });
      expect(headerTally(summary).passed).toBeGreaterThan(0);
    },
  );
});
