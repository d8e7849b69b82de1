import { beforeAll, describe, expect, it } from "vitest";
import { createRng } from "../../src/contract/generate/prng.js";
import { stringMatching } from "../../src/contract/generate/regex.js";
import { buildCases, isoDurationSeconds } from "../../src/contract/index.js";
import { loadSpec, PROVIDER_IDS, type SpecModel, specPath } from "../../src/openapi/index.js";
import { SchemaEngine } from "../../src/schema/index.js";
import { must } from "./must.js";

const specs = new Map<string, SpecModel>();
beforeAll(async () => {
  for (const p of PROVIDER_IDS) specs.set(p, await loadSpec(specPath(p)));
});

function patternsIn(node: unknown, out: string[] = []): string[] {
  if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === "pattern" && typeof v === "string") out.push(v);
      else patternsIn(v, out);
    }
  }
  return out;
}

describe("pattern strings", () => {
  it("every pattern of the three specs yields matching strings, the same ones for the same seed", () => {
    const patterns = [...specs.values()].flatMap((s) => patternsIn(s.document));
    expect(patterns.length).toBeGreaterThanOrEqual(6);
    for (const pattern of patterns) {
      const a = Array.from({ length: 20 }, (_, i) => stringMatching(pattern, createRng(i)));
      const b = Array.from({ length: 20 }, (_, i) => stringMatching(pattern, createRng(i)));
      expect(b).toEqual(a);
      for (const s of a)
        expect(s !== undefined && new RegExp(pattern, "u").test(s), `${pattern} → ${s}`).toBe(true);
    }
  });

  it.each([
    ["^[0-9a-f]{32}$", /^[0-9a-f]{32}$/],
    ["^(ab|cd)+x?$", /^(ab|cd)+x?$/],
    ["^[^a-z]\\d\\w\\.$", /^[^a-z]\d\w\.$/],
  ])("%s", (pattern, re) => {
    expect(re.test(stringMatching(pattern, createRng(1)) ?? "")).toBe(true);
  });

  it("gives up (undefined) rather than return a non-matching string", () => {
    expect(stringMatching("^(?!a)a$", createRng(1))).toBeUndefined();
    expect(stringMatching("^(unbalanced$", createRng(1))).toBeUndefined();
  });
});

describe("cases", () => {
  it.each(PROVIDER_IDS)("%s: positive bodies validate, schema-defect bodies do not", (provider) => {
    const spec = must(specs.get(provider));
    const engine = new SchemaEngine(spec.document, { id: `gen-${provider}` });
    const cases = buildCases(
      { spec, engine, seed: 99, maxCases: 40, credentials: {} },
      ["positive", "negative"],
      spec.operations,
    );
    let negatives = 0;
    for (const c of cases) {
      const op = must(spec.operations.find((o) => o.id === c.operationId));
      const schema = op.requestBody?.content["application/json"]?.schema;
      // A linked positive case runs the linking operation first: judge the case's own step.
      const step = must(c.steps.findLast((s) => s.operationId === c.operationId));
      // An operation with no body (Cube's GETs) sends none; its cases vary parameters only.
      if (schema === undefined) expect(step.bodyValue, c.origin.detail).toBeUndefined();
      else if (c.origin.phase === "positive")
        expect(engine.validate(schema, step.bodyValue), c.origin.detail).toEqual([]);
      else if (c.origin.detail.startsWith("body")) {
        negatives++;
        expect(engine.validate(schema, step.bodyValue).length, c.origin.detail).toBeGreaterThan(0);
      }
    }
    expect(negatives).toBeGreaterThan(3);
  });

  it("positive cases begin with boundary values, then random ones", () => {
    const spec = must(specs.get("explo"));
    const engine = new SchemaEngine(spec.document, { id: "gen-order" });
    const details = buildCases(
      { spec, engine, seed: 1, maxCases: 200, credentials: {} },
      ["positive"],
      spec.operations,
    ).map((c) => c.origin.detail);
    const firstRandom = details.findIndex((d) => d.startsWith("random"));
    expect(details.slice(0, firstRandom).some((d) => d.includes('enum "flt"'))).toBe(true);
    expect(details.slice(0, firstRandom).some((d) => d.includes("embed_origin: null"))).toBe(true);
    expect(details.slice(0, firstRandom).some((d) => d.includes("empty array"))).toBe(true);
    expect(details.slice(firstRandom).every((d) => d.startsWith("random"))).toBe(true);
  });

  it("a link's path parameters reach the linked request (GetDeployment takes the session's deploymentId)", () => {
    const spec = must(specs.get("cube"));
    const engine = new SchemaEngine(spec.document, { id: "gen-link-params" });
    const cases = buildCases(
      { spec, engine, seed: 1, maxCases: 10, credentials: { apiKeyAuth: "Api-Key k" } },
      ["stateful"],
      spec.operations,
    );
    const linked = cases.find((c) => c.origin.detail.startsWith("link GetDeployment"));
    const [first, second] = linked?.steps ?? [];
    const firstRequest = first?.request;
    if (
      !second ||
      typeof second.request !== "function" ||
      !firstRequest ||
      typeof firstRequest === "function"
    ) {
      throw new Error("expected a two-step GetDeployment case");
    }
    const previous = {
      request: firstRequest,
      bodyValue: { deploymentId: 77, externalId: "x" },
      response: { status: 200, headers: {}, body: '{"sessionId":"0123456789abcdef0123456789abcdef"}' },
    };
    const next = second.request([previous as never]);
    expect(next?.request.path).toBe("/v1/deployments/77");
  });

  it("follows every declared link once, even when maxCases is smaller than the number of links", () => {
    const spec = must(specs.get("cube"));
    const engine = new SchemaEngine(spec.document, { id: "gen-every-link" });
    const declared = spec.operations.flatMap((op) =>
      Object.values(op.responses)
        .filter((r) => /^2/.test(r.status))
        .flatMap((r) => r.links.map((l) => `${op.id} → ${l.operationId}`)),
    );
    expect(declared.length).toBeGreaterThan(2);
    const followed = buildCases(
      { spec, engine, seed: 1, maxCases: 1, credentials: { apiKeyAuth: "Api-Key k" } },
      ["stateful"],
      spec.operations,
    ).map((c) => `${c.operationId} → ${c.steps[1]?.operationId}`);
    expect(followed.sort()).toEqual(declared.sort());
  });

  it("auth cases only for operations that declare security", () => {
    const spec = must(specs.get("cube"));
    const engine = new SchemaEngine(spec.document, { id: "gen-auth" });
    const ops = buildCases(
      { spec, engine, seed: 1, maxCases: 10, credentials: { apiKeyAuth: "Api-Key k" } },
      ["auth"],
      spec.operations,
    ).map((c) => c.operationId);
    expect(new Set(ops)).toEqual(
      new Set(["generateSession", "revokeSession", "getEmbedDashboard", "getDeployment", "deploymentToken"]),
    );
  });
});

describe("ISO 8601 durations", () => {
  it.each([
    ["PT1H", 3600],
    ["P1D", 86_400],
    ["P1DT12H", 129_600],
    ["PT1.5M", 90],
    ["P1W", 604_800],
    // 2026-01-01 + 1 month = 31 days.
    ["P1M", 31 * 86_400],
  ])("%s is %i s from 2026-01-01", (text, seconds) => {
    expect(isoDurationSeconds(text, Date.UTC(2026, 0, 1) / 1000)).toBe(seconds);
  });

  it.each(["P", "PT", "1H", "tomorrow"])("%s is not a duration", (text) => {
    expect(isoDurationSeconds(text, 0)).toBeUndefined();
  });
});
