import { NOTES, type Operation, readNote, type SingleUseNote } from "../../openapi/index.js";
import type { Case, Step } from "../types.js";
import type { CaseSource } from "./context.js";
import { linkStep, sourceStep } from "./linked.js";

export function singleUseNote(op: Operation): SingleUseNote | undefined {
  return readNote(NOTES.singleUse, op.extensions);
}

/** The same request as the previous step, which the `x-embedkit-single-use` note says must be refused. */
function againStep(target: Operation, note: SingleUseNote): Step {
  return {
    operationId: target.id,
    expect: { kind: "refused", status: note.status, reason: "the credential was already used once" },
    request: (previous) => {
      const last = previous[previous.length - 1];
      return last ? { request: last.request, bodyValue: last.bodyValue } : undefined;
    },
  };
}

/**
 * Sequences from OpenAPI links: the source operation with a valid body, then each linked
 * operation with the values the link carries over; when the target is single-use, the same
 * request once more, which must be refused.
 */
export function statefulCases(src: CaseSource, op: Operation, byId: Map<string, Operation>): Case[] {
  const cases: Case[] = [];
  for (const response of Object.values(op.responses)) {
    if (!/^2/.test(response.status)) continue;
    for (const link of response.links) {
      const target = byId.get(link.operationId);
      // Every declared link is followed once, whatever maxCases says: links are few and finite,
      // and a link cut off by the cap leaves its target without the live values it needs.
      if (!target) continue;
      const note = singleUseNote(target);
      const steps = [sourceStep(src, op), linkStep(src, target, link, { mustSucceed: note !== undefined })];
      if (note) steps.push(againStep(target, note));
      const detail = `link ${link.name}: ${op.id} → ${target.id}${note ? ` → ${target.id} again (single use)` : ""}`;
      cases.push({
        id: `${op.id}/stateful/${cases.length}`,
        operationId: op.id,
        origin: { phase: "stateful", detail },
        steps,
      });
    }
  }
  return cases;
}
