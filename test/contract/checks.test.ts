import { describe, expect, it } from "vitest";
import { ALL_CHECKS, CHECK_IDS } from "../../src/contract/index.js";
import { runCase } from "../../src/contract/run-case.js";
import type { Case, Check } from "../../src/contract/types.js";
import { loadSpec, specPath } from "../../src/openapi/index.js";
import { SchemaEngine } from "../../src/schema/index.js";

describe("the registry", () => {
  it("names every check the design lists, each once, each with its own file's id", () => {
    expect(CHECK_IDS).toEqual([
      "not-a-server-error",
      "status-code-conformance",
      "content-type-conformance",
      "response-schema-conformance",
      "response-headers-conformance",
      "negative-data-rejection",
      "positive-data-acceptance",
      "ignored-auth",
      "single-use",
      "ensure-resource-availability",
      "use-after-free",
      "token-format",
      "token-lifetime",
      "token-claims",
      "success-path",
    ]);
  });
});

describe("a check that throws", () => {
  it("becomes a failure of that check and the other checks still run", async () => {
    const spec = await loadSpec(specPath("toucan"));
    const crashing: Check = {
      id: "crashing",
      severity: "low",
      description: "",
      run: () => {
        throw new Error("kaboom");
      },
    };
    const c: Case = {
      id: "t/examples/0",
      operationId: "generateToken",
      origin: { phase: "examples", detail: "hand-made" },
      steps: [
        {
          operationId: "generateToken",
          request: { method: "POST", path: "/embed/generate-token", headers: {} },
          expect: { kind: "valid" },
        },
      ],
    };
    const outcome = await runCase(
      {
        spec,
        engine: new SchemaEngine(spec.document, { id: "crash" }),
        operations: new Map(spec.operations.map((o) => [o.id, o])),
        checks: [crashing, ...ALL_CHECKS],
        tokenKeys: {},
        send: async () => ({
          status: 502,
          headers: { "content-type": "application/json" },
          body: "{}",
          durationMs: 1,
        }),
      },
      c,
    );
    expect(outcome.failures.map((f) => f.check)).toEqual([
      "crashing",
      "not-a-server-error",
      "status-code-conformance",
    ]);
    expect(outcome.failures[0]?.message).toContain("kaboom");
    // success-path judges the run, not a response: it has no per-response result.
    expect(outcome.results).toHaveLength(ALL_CHECKS.filter((c) => c.run).length + 1);
  });

  it("a transport error is its own kind of failure, not a check's and not a crash", async () => {
    const spec = await loadSpec(specPath("toucan"));
    const c: Case = {
      id: "t/examples/0",
      operationId: "generateToken",
      origin: { phase: "examples", detail: "hand-made" },
      steps: [
        {
          operationId: "generateToken",
          request: { method: "POST", path: "/x", headers: {} },
          expect: { kind: "valid" },
        },
      ],
    };
    const outcome = await runCase(
      {
        spec,
        engine: new SchemaEngine(spec.document, { id: "t" }),
        operations: new Map(spec.operations.map((o) => [o.id, o])),
        checks: ALL_CHECKS,
        tokenKeys: {},
        send: () => Promise.reject(new Error("no answer within 5 ms")),
      },
      c,
    );
    expect(outcome.failures).toMatchObject([{ check: "transport", actual: "no answer within 5 ms" }]);
    expect(outcome.results).toEqual([]);
  });
});
