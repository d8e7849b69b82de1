import { beforeAll, describe, expect, it } from "vitest";
import { ALL_CHECKS, runContract } from "../../src/contract/index.js";
import type { CheckContext } from "../../src/contract/types.js";
import { createEmulator } from "../../src/emulator/index.js";
import { loadSpec, type SpecModel, specPath } from "../../src/openapi/index.js";
import { must } from "./must.js";

const check = must(ALL_CHECKS.find((c) => c.id === "positive-data-acceptance"));
let spec: SpecModel;
beforeAll(async () => {
  spec = await loadSpec(specPath("cube"));
});

/** positive-data-acceptance's verdict on a valid generate-session answered `status` with `message`. */
function verdict(status: number, message: string) {
  const operation = must(spec.operations.find((o) => o.id === "generateSession"));
  const body = JSON.stringify({ statusCode: status, message, error: "Bad Request" });
  const response = { status, headers: { "content-type": "application/json" }, body };
  return check.run?.({
    spec,
    operation,
    response,
    expect: { kind: "valid" },
    json: () => JSON.parse(body),
  } as unknown as CheckContext);
}

describe("a refusal by a rule the spec documents (x-embedkit-rule-statuses messages)", () => {
  it("is skipped, naming the rule, only when both its status and its message match", () => {
    expect(verdict(400, "groups, userProfile not allowed with internalId")).toEqual({
      skip: "refused by the documented rule internalIdExclusive (x-embedkit-rule-statuses)",
    });
    expect(verdict(400, "Groups with names a, b not found")).toMatchObject({ skip: /unknownGroups/ });
  });

  it("is still a failure with any other message, or the right message under another status", () => {
    expect(verdict(400, "body must be valid")).toEqual([
      expect.objectContaining({ message: "schema-valid input was refused", actual: "400" }),
    ]);
    expect(verdict(422, "groups not allowed with internalId")).toEqual([
      expect.objectContaining({ actual: "422" }),
    ]);
  });

  it("leaves the Cube emulator with zero failures at 500 cases per phase, where random bodies break those rules", async () => {
    const emulator = await createEmulator({ provider: "cube" });
    try {
      const summary = await runContract({
        provider: "cube",
        fetch: (request: Request) => emulator.fetch(request),
        auth: emulator.credentials.auth,
        tokenKeys: emulator.credentials.tokenKeys,
        maxCases: 500,
        seed: 7,
      }).summary;
      expect(summary.failures).toEqual([]);
      expect(summary.cases).toBeGreaterThan(1000);
    } finally {
      await emulator.close();
    }
  }, 120_000);
});
