import { afterAll, describe, expect, it } from "vitest";
import { CHECK_IDS, type ContractOptions, runContract, type Summary } from "../../src/contract/index.js";
import { loadSpec, PROVIDER_IDS, type ProviderId, specPath } from "../../src/openapi/index.js";
import {
  brokenFixtures,
  FIXTURE_AUTH,
  FIXTURE_TOKEN_KEYS,
  faithfulFixtures,
  serveFetch,
} from "../fixtures/contract/index.js";
import { NOTES_BROKEN } from "../fixtures/services/notes.js";
import { must } from "./must.js";

const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of closers) await close();
});

function optionsFor(provider: ProviderId): Omit<ContractOptions, "fetch" | "target"> {
  return {
    spec: specPath(provider),
    auth: { ...FIXTURE_AUTH[provider] },
    tokenKeys: { ...FIXTURE_TOKEN_KEYS[provider] },
    seed: 7,
    maxCases: 20,
  };
}

const failingChecks = (s: Summary) => [...new Set(s.failures.map((f) => f.check))].sort();
const ran = (s: Summary, check: string) =>
  Object.values(s.table).reduce((n, row) => n + (row[check]?.passed ?? 0) + (row[check]?.failed ?? 0), 0);

describe("a faithful fixture passes every phase with zero failures", () => {
  it.each(PROVIDER_IDS)("%s, in-process", async (provider) => {
    const summary = await runContract({ ...optionsFor(provider), fetch: await faithfulFixtures[provider]() })
      .summary;
    expect(summary.failures.map((f) => `${f.check}: ${f.message}`)).toEqual([]);
    expect(summary.cases).toBeGreaterThan(30);
    // The token checks really judged tokens (they skip silently when nothing applies).
    for (const check of ["token-format", "token-lifetime", "token-claims"])
      expect(ran(summary, check), check).toBeGreaterThan(0);
  });

  it.each(PROVIDER_IDS)("%s, over a real loopback socket", async (provider) => {
    const served = await serveFetch(await faithfulFixtures[provider]());
    closers.push(served.close);
    const summary = await runContract({ ...optionsFor(provider), target: served.url }).summary;
    expect(summary.failures.map((f) => `${f.check}: ${f.message}`)).toEqual([]);
  });

  it("the cube fixture's stateful sequence proves single use", async () => {
    const summary = await runContract({
      ...optionsFor("cube"),
      phases: ["stateful"],
      fetch: await faithfulFixtures.cube(),
    }).summary;
    expect(summary.table.postTokenBySessionId?.["single-use"]).toEqual({
      passed: 1,
      failed: 0,
      skipped: expect.any(Number),
    });
  });
});

describe("each broken fixture is caught by the check that names its defect, and by no other", () => {
  it.each(brokenFixtures.map((b) => [b.defect, b] as const))("%s", async (_defect, broken) => {
    const summary = await runContract({ ...optionsFor(broken.provider), fetch: await broken.create() })
      .summary;
    expect(failingChecks(summary)).toEqual([...broken.caughtBy].sort());
    const { operations } = await loadSpec(specPath(broken.provider));
    for (const f of summary.failures) {
      // Each failure carries the request that showed it: the operation's own method.
      expect(f.request.method).toBe(operations.find((o) => o.id === f.operationId)?.method.toUpperCase());
      expect(f.response?.status).toBeTypeOf("number");
      expect(f.expected).not.toBe("");
    }
  });

  it("without --token-key the claims defect goes unseen, and token-claims says it skipped", async () => {
    const broken = brokenFixtures.find((b) => b.defect.startsWith("token claims"));
    const summary = await runContract({
      ...optionsFor("toucan"),
      tokenKeys: {},
      fetch: await must(broken).create(),
    }).summary;
    expect(summary.failures).toEqual([]);
    expect(ran(summary, "token-claims")).toBe(0);
  });
});

describe("every check bites", () => {
  // Switching any check off must fail a test: each one is the catcher of some broken fixture above,
  // or of a broken notes service (services.test.ts; the providers create no resources to free).
  it.each(CHECK_IDS)("%s is the check that catches at least one broken fixture", (check) => {
    const catchers = [...brokenFixtures, ...NOTES_BROKEN];
    expect(catchers.some((b) => b.caughtBy.includes(check))).toBe(true);
  });
});
