import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runContract, type Summary } from "../../src/contract/index.js";
import { createEmulator, type Emulator } from "../../src/emulator/index.js";
import { PROVIDER_IDS, type ProviderId, providerInfo, specPath } from "../../src/spec/index.js";

/**
 * The contract engine judges the emulator exactly as it judges any other implementation: every
 * phase and every check, in-process through fetch(request) and over a real loopback socket.
 * The emulator must pass all of it; and the token checks must really have run, not been skipped.
 */
const emulators = new Map<ProviderId, Emulator>();

beforeAll(async () => {
  for (const provider of PROVIDER_IDS) {
    // Explo's 180/min rate limit is a provider rule the contract run would trip by volume alone.
    const emulator = await createEmulator({ provider, config: { rateLimit: { enabled: false } } });
    await emulator.listen(0);
    emulators.set(provider, emulator);
  }
});
afterAll(async () => {
  for (const emulator of emulators.values()) await emulator.close();
});

function run(provider: ProviderId, transport: "in-process" | "http"): Promise<Summary> {
  const emulator = emulators.get(provider) as Emulator;
  const info = providerInfo(provider);
  const inProcessBase = `http://127.0.0.1:${info.defaultPort}${info.basePath}`;
  return runContract({
    spec: specPath(provider),
    ...(transport === "http"
      ? { target: emulator.url as string }
      : { fetch: (r: Request) => emulator.fetch(r), target: inProcessBase }),
    auth: emulator.credentials.auth,
    tokenKeys: emulator.credentials.tokenKeys,
    seed: 20261121,
    maxCases: 20,
  }).summary;
}

const TOKEN_OPERATION: Record<ProviderId, string> = {
  cube: "postTokenBySessionId",
  explo: "generateJwt",
  toucan: "generateToken",
};

describe.each(PROVIDER_IDS)("%s emulator against its own contract", (provider) => {
  it.each(["in-process", "http"] as const)("%s: every phase and check passes", async (transport) => {
    const summary = await run(provider, transport);
    expect(summary.failures.map((f) => `${f.check}: ${f.message}`)).toEqual([]);
    expect(summary.cases).toBeGreaterThan(20);
    const tokenChecks = summary.table[TOKEN_OPERATION[provider]] ?? {};
    for (const check of ["token-format", "token-lifetime", "token-claims"]) {
      expect(tokenChecks[check]?.passed ?? 0, `${check} ran and passed`).toBeGreaterThan(0);
    }
  });
});

describe("what only a stateful implementation passes", () => {
  it("cube: single-use ran against the emulator and passed", async () => {
    const summary = await run("cube", "in-process");
    expect(summary.table.postTokenBySessionId?.["single-use"]?.passed ?? 0).toBeGreaterThan(0);
  });
});

describe("Explo's rate limit switched on", () => {
  it("a contract run past 180 requests a minute sees 429s, declared in the spec, and says so", async () => {
    const emulator = await createEmulator({ provider: "explo" });
    try {
      const summary = await runContract({
        spec: specPath("explo"),
        fetch: (r: Request) => emulator.fetch(r),
        target: "http://127.0.0.1:4011",
        auth: emulator.credentials.auth,
        tokenKeys: emulator.credentials.tokenKeys,
        seed: 1,
        maxCases: 200,
      }).summary;
      // 429 is declared, so schema and status checks hold; the positive cases that were refused
      // with it are reported as what they are, not as malformed-data rejections.
      expect(summary.failures.length).toBeGreaterThan(0);
      expect(new Set(summary.failures.map((f) => `${f.check}: ${f.actual}`))).toEqual(
        new Set(["positive-data-acceptance: 429"]),
      );
      expect(summary.failures[0]?.message).toMatch(/throttled the run \(429\)/);
    } finally {
      await emulator.close();
    }
  });
});
