import type { Operation } from "../../openapi/index.js";
import type { Case } from "../types.js";
import { buildRequest, type CaseSource, jsonBody, singleCase } from "./context.js";

/** One case per request example in the spec; operations without a body get one bare request. */
export function exampleCases(src: CaseSource, op: Operation): Case[] {
  const media = jsonBody(op);
  if (!media) {
    if (op.requestBody?.required) return [];
    return [singleCase(op, "examples", 0, "no request body", buildRequest(src, op, {}), { kind: "valid" })];
  }
  return media.examples
    .slice(0, src.maxCases)
    .map((example, n) =>
      singleCase(
        op,
        "examples",
        n,
        `example "${example.name}"`,
        buildRequest(src, op, { body: example.value }),
        { kind: "valid" },
        example.value,
      ),
    );
}
