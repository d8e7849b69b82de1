import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHECK_IDS, runContract, type Summary } from "../../src/contract/index.js";
import { createEmulator, type Emulator } from "../../src/emulator/index.js";
import { type ProviderId, providerInfo, specPath } from "../../src/openapi/index.js";
import { providerCase } from "../provider-cases.js";

/**
 * The contract engine judges the emulator exactly as it judges any other implementation: every
 * phase and every check, default case counts, in-process through fetch(request) and over a real
 * loopback socket, with the credentials and token keys the emulator itself hands out. The emulator
 * must pass all of it, and every check that can apply must really have run, not been skipped.
 * Run over the registry by contract-vs-emulator.test.ts and over a fixture provider by
 * test/recipe/fourth-provider.test.ts.
 */
export type Transport = "in-process" | "http";
const SEED = 20261121;
const emulators = new Map<ProviderId, Emulator>();
const runs = new Map<string, Promise<Summary>>();

/** In-process, the URL only has to carry the base path: no socket is opened. */
export const inProcessBase = (p: ProviderId) => `http://emulator.test${providerInfo(p).basePath}`;

export function run(provider: ProviderId, transport: Transport): Promise<Summary> {
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

const TRANSPORTS: Transport[] = ["in-process", "http"];

/** The suite, for these providers: one emulator each, listening on port 0 for the run. */
export function contractSuite(ids: readonly ProviderId[]): void {
  beforeAll(async () => {
    for (const provider of ids) {
      // Explo's 180/min rate limit would trip by volume alone; the 429s get their own test below.
      const emulator = await createEmulator({ provider, config: { rateLimit: { enabled: false } } });
      await emulator.listen(0);
      emulators.set(provider, emulator);
    }
  });
  afterAll(async () => {
    for (const emulator of emulators.values()) await emulator.close();
  });

  describe.each(ids)("%s emulator against its own contract", (provider) => {
    it.each(TRANSPORTS)("%s: every phase and check passes, every applicable check ran", async (transport) => {
      const summary = await run(provider, transport);
      expect(summary.failures.map((f) => `${f.check} ${f.caseId}: ${f.message}`)).toEqual([]);
      expect(summary.cases).toBeGreaterThan(50);
      expect(summary.passedCases).toBe(summary.cases);
      expect([...ran(summary)].sort()).toEqual(
        CHECK_IDS.filter((c) => !providerCase(provider).notApplicable.includes(c)).sort(),
      );
      const tokenChecks = summary.table[providerCase(provider).tokenOperation] ?? {};
      for (const check of ["token-format", "token-lifetime", "token-claims"])
        expect(tokenChecks[check]?.passed ?? 0, `${check} ran and passed`).toBeGreaterThan(0);
    });

    it("the socket changes nothing: the same seed gives the same cases and the same verdicts", async () => {
      const [inProcess, http] = await Promise.all(TRANSPORTS.map((t) => run(provider, t)));
      expect(http?.cases).toBe(inProcess?.cases);
      expect(http?.table).toEqual(inProcess?.table);
    });
  });
}
