import { describe, expect, it } from "vitest";
import { ALL_CHECKS } from "../../src/contract/index.js";
import type { RunObservations } from "../../src/contract/types.js";
import type { Operation } from "../../src/openapi/index.js";
import { must } from "./must.js";

const successPath = must(ALL_CHECKS.find((c) => c.id === "success-path"));

/** A run where every valid request to `op` was answered 400, as Prism answers Petstore's deleteOrder. */
function judged(responses: Record<string, object>) {
  const declared = Object.fromEntries(
    Object.keys(responses).map((status) => [status, { status, links: [], extensions: {} }]),
  );
  const op = { id: "deleteOrder", responses: declared, extensions: {} } as unknown as Operation;
  const run = {
    operations: [op],
    checks: ["success-path"],
    phases: ["positive"],
    valid: new Map([
      ["deleteOrder", { sent: 6, succeeded: 0, statuses: new Map([[400, { count: 6, message: "" }]]) }],
    ]),
    table: {},
    skips: new Map(),
  } as unknown as RunObservations;
  return must(successPath.judgeRun)(run);
}

describe("success-path", () => {
  it("fails an operation that declares a 2xx and never answered one", () => {
    expect(judged({ "200": {}, "400": {} })).toEqual([
      expect.objectContaining({ operationId: "deleteOrder", actual: "400 ×6" }),
    ]);
  });

  it("does not hold an operation that declares no 2xx (only errors, or only default) to answering one", () => {
    expect(judged({ "400": {}, "404": {} })).toEqual([]);
    expect(judged({ default: {} })).toEqual([]);
  });
});
