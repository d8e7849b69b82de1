import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Phase, runContract, type Summary } from "../../src/contract/index.js";
import { PROVIDER_IDS, type ProviderId, packageRoot, specPath } from "../../src/openapi/index.js";
import { must } from "./must.js";

/** Prism checks only that an apiKey header is present, so any value passes its security. */
const AUTH: Record<ProviderId, Record<string, string>> = {
  cube: { apiKeyAuth: "Api-Key prism-does-not-check" },
  explo: { exploToken: "Token prism-does-not-check" },
  toucan: { toucanApiKey: "prism-does-not-check" },
};
const STATELESS: Phase[] = ["examples", "positive", "negative", "auth"];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function startPrism(provider: ProviderId): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const bin = join(packageRoot(), "node_modules", ".bin", "prism");
  const child = spawn(bin, ["mock", specPath(provider), "-h", "127.0.0.1", "-p", String(port), "--errors"], {
    stdio: "ignore",
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      await fetch(url);
      return { url, child };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill();
  throw new Error(`Prism for ${provider} did not answer on ${url}`);
}

const prisms = new Map<ProviderId, { url: string; child: ChildProcess }>();

beforeAll(async () => {
  await Promise.all(PROVIDER_IDS.map(async (p) => prisms.set(p, await startPrism(p))));
});

afterAll(() => {
  for (const { child } of prisms.values()) if (child.pid) process.kill(child.pid);
});

type Failure = Summary["failures"][number];

/**
 * 3. A request that breaks the spec, sent to an operation that declares neither 400 nor 422, gets
 *    Prism's own 422 ("no HTTP validation response was found in the spec, so Prism is generating
 *    this error for you"): a status the operation does not declare. Only Cube's two GETs declare
 *    no 400; the real service (and the emulator) answer their bad path parameters 404.
 */
const OWN_422: Record<ProviderId, string[]> = {
  cube: ["getDeployment", "getEmbedDashboard"],
  explo: [],
  toucan: [],
};
const ownValidationError = (provider: ProviderId, f: Failure) =>
  f.check === "status-code-conformance" &&
  f.origin.phase === "negative" &&
  f.response?.status === 422 &&
  OWN_422[provider].includes(f.operationId);

/** `check | phase | defect` of every other failure, deduplicated: what Prism gets wrong, precisely. */
const kinds = (provider: ProviderId, s: Summary) =>
  [
    ...new Set(
      s.failures
        .filter((f) => !ownValidationError(provider, f))
        .map((f) => `${f.check} | ${f.origin.phase} | ${f.origin.detail}`),
    ),
  ].sort();

describe("real Prism 5.14, stateless phases", () => {
  it.each(PROVIDER_IDS)("%s: only Prism's known departures from the spec fail", async (provider) => {
    const prism = must(prisms.get(provider));
    const summary = await runContract({
      spec: specPath(provider),
      target: prism.url,
      auth: AUTH[provider],
      phases: STATELESS,
      seed: 11,
      maxCases: 20,
    }).summary;
    const scheme = Object.keys(AUTH[provider])[0];
    // 1. Prism checks that an apiKey header is present, never its value: malformed and unknown
    //    credentials get 200. 2. Its malformed-JSON answer is its own envelope, not the spec's 400 body.
    //    3. (above) its own 422 where the operation declares no validation response.
    const expected = new Set([
      `ignored-auth | auth | malformed credential (${scheme})`,
      `ignored-auth | auth | unknown credential (${scheme})`,
      "response-schema-conformance | negative | malformed JSON",
    ]);
    expect(kinds(provider, summary).filter((k) => !expected.has(k))).toEqual([]);
    expect(kinds(provider, summary)).toEqual([...expected].sort());
    const own422 = summary.failures.filter((f) => ownValidationError(provider, f));
    expect([...new Set(own422.map((f) => f.operationId))].sort()).toEqual(OWN_422[provider]);
    expect(own422.every((f) => /^path \w+: /.test(f.origin.detail))).toBe(true);
    expect(
      summary.failures.filter((f) => f.check === "ignored-auth").every((f) => f.response?.status === 200),
    ).toBe(true);
    expect(summary.cases).toBeGreaterThan(30);
  });
});

describe("real Prism keeps no state", () => {
  it("cube: the same session exchanged twice is not refused, so single-use fails", async () => {
    const prism = must(prisms.get("cube"));
    const summary = await runContract({
      spec: specPath("cube"),
      target: prism.url,
      auth: AUTH.cube,
      phases: ["stateful"],
      seed: 11,
    }).summary;
    const singleUse = summary.failures.filter((f) => f.check === "single-use");
    expect(singleUse).toHaveLength(1);
    expect(singleUse[0]).toMatchObject({
      expected: "401",
      actual: "200",
      operationId: "postTokenBySessionId",
      step: 2,
    });
    expect(summary.failures.filter((f) => f.check !== "single-use")).toEqual([]);
  });
});
