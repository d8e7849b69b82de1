import type { Operation } from "../../openapi/index.js";
import type { Case, Phase } from "../types.js";
import { authCases } from "./auth.js";
import type { CaseSource } from "./context.js";
import { exampleCases } from "./examples.js";
import { inferredCases } from "./inferred.js";
import { negativeCases } from "./negative.js";
import { positiveCases } from "./positive.js";
import { statefulCases } from "./stateful.js";

export { type CaseSource, type Credentials, chosenSchemes, credentialTarget } from "./context.js";
export { singleUseNote } from "./stateful.js";

/** Every case of the selected phases and operations, in a stable order: phase, then operation. */
export function buildCases(
  src: CaseSource,
  phases: readonly Phase[],
  operations: readonly Operation[],
): Case[] {
  const byId = new Map(src.spec.operations.map((op) => [op.id, op]));
  const builders: Record<Phase, (op: Operation) => Case[]> = {
    examples: (op) => exampleCases(src, op),
    positive: (op) => positiveCases(src, op, byId),
    negative: (op) => negativeCases(src, op),
    auth: (op) => authCases(src, op),
    stateful: (op) => [...statefulCases(src, op, byId), ...inferredCases(src, op, src.spec.operations)],
  };
  return phases.flatMap((phase) => operations.flatMap((op) => builders[phase](op)));
}
