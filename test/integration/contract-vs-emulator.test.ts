import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHECK_IDS, type Phase, runContract, type Summary } from "../../src/contract/index.js";
import { createEmulator, type Emulator } from "../../src/emulator/index.js";
import { PROVIDER_IDS, type ProviderId, providerInfo, specPath } from "../../src/openapi/index.js";

/**
 * The contract engine judges the emulator exactly as it judges any other implementation: every
 * phase and every check, default case counts, in-process through fetch(request) and over a real
 * loopback socket, with the credentials and token keys the emulator itself hands out. The emulator
 * must pass all of it, and every check that can apply must really have run, not been skipped.
 */
type Transport = "in-process" | "http";
const SEED = 20261121;
const emulators = new Map<ProviderId, Emulator>();
const runs = new Map<string, Promise<Summary>>();

beforeAll(async () => {
  for (const provider of PROVIDER_IDS) {
    // Explo's 180/min rate limit would trip by volume alone; the 429s get their own test below.
    const emulator = await createEmulator({ provider, config: { rateLimit: { enabled: false } } });
    await emulator.listen(0);
    emulators.set(provider, emulator);
  }
});
afterAll(async () => {
  for (const emulator of emulators.values()) await emulator.close();
});

/** In-process, the URL only has to carry the base path: no socket is opened. */
const inProcessBase = (p: ProviderId) => `http://emulator.test${providerInfo(p).basePath}`;

function run(provider: ProviderId, transport: Transport): Promise<Summary> {
  const key = `${provider}/${transport}`;
  let summary = runs.get(key);
  if (!summary) {
    const emulator = emulators.get(provider) as Emulator;
    summary = runContract({
      spec: specPath(provider),
      ...(transport === "http"
        ? { target: emulator.url as string }
        : { fetch: (r: Request) => emulator.fetch(r), target: inProcessBase(provider) }),
      auth: emulator.credentials.auth,
      tokenKeys: emulator.credentials.tokenKeys,
      seed: SEED,
    }).summary;
    runs.set(key, summary);
  }
  return summary;
}

/** Checks that ran (passed or failed at least once) anywhere in the run. */
const ran = (s: Summary) =>
  new Set(
    Object.values(s.table).flatMap((row) =>
      Object.entries(row).flatMap(([check, t]) => (t.passed + t.failed > 0 ? [check] : [])),
    ),
  );

/**
 * What cannot apply in a clean run: only a 429 declares a response header (Retry-After), and only
 * Cube marks an operation x-embedkit-single-use. Everything else must have run.
 */
const NOT_APPLICABLE: Record<ProviderId, string[]> = {
  cube: ["response-headers-conformance"],
  explo: ["response-headers-conformance", "single-use"],
  toucan: ["response-headers-conformance", "single-use"],
};
const TOKEN_OPERATION: Record<ProviderId, string> = {
  cube: "postTokenBySessionId",
  explo: "generateJwt",
  toucan: "generateToken",
};
const TRANSPORTS: Transport[] = ["in-process", "http"];

describe.each(PROVIDER_IDS)("%s emulator against its own contract", (provider) => {
  it.each(TRANSPORTS)("%s: every phase and check passes, every applicable check ran", async (transport) => {
    const summary = await run(provider, transport);
    expect(summary.failures.map((f) => `${f.check} ${f.caseId}: ${f.message}`)).toEqual([]);
    expect(summary.cases).toBeGreaterThan(50);
    expect(summary.passedCases).toBe(summary.cases);
    expect([...ran(summary)].sort()).toEqual(
      CHECK_IDS.filter((c) => !NOT_APPLICABLE[provider].includes(c)).sort(),
    );
    const tokenChecks = summary.table[TOKEN_OPERATION[provider]] ?? {};
    for (const check of ["token-format", "token-lifetime", "token-claims"])
      expect(tokenChecks[check]?.passed ?? 0, `${check} ran and passed`).toBeGreaterThan(0);
  });

  it("the socket changes nothing: the same seed gives the same cases and the same verdicts", async () => {
    const [inProcess, http] = await Promise.all(TRANSPORTS.map((t) => run(provider, t)));
    expect(http?.cases).toBe(inProcess?.cases);
    expect(http?.table).toEqual(inProcess?.table);
  });
});

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

/** A run against a rate-limited emulator whose clock the run's `retry` may move (`advance`). */
async function limitedRun(l: Limited, retry: (advance: (ms: number) => void) => Record<string, unknown>) {
  let offsetMs = 0;
  const clock = { now: () => Date.now() + offsetMs };
  const emulator = await createEmulator({ provider: l.provider, config: l.config as never, clock });
  try {
    return await runContract({
      spec: specPath(l.provider),
      fetch: (r: Request) => emulator.fetch(r),
      target: inProcessBase(l.provider),
      auth: emulator.credentials.auth,
      tokenKeys: emulator.credentials.tokenKeys,
      seed: 1,
      maxCases: l.maxCases,
      retry: retry((ms) => {
        offsetMs += ms;
      }),
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
      const summary = await limitedRun(l, (advance) => ({
        sleep: async (ms: number) => advance(ms),
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
