import { type Link, NOTES, type Operation, readNote, type SingleUseNote } from "../../openapi/index.js";
import { fillTemplate, parseJson } from "../expressions.js";
import type { Case, Exchange, Step } from "../types.js";
import { baseBody, buildRequest, type CaseSource } from "./context.js";

export function singleUseNote(op: Operation): SingleUseNote | undefined {
  return readNote(NOTES.singleUse, op.extensions);
}

/** The step that follows a link: its body filled from the previous step's request and response. */
function linkStep(src: CaseSource, target: Operation, link: Link, mustSucceed: boolean): Step {
  return {
    operationId: target.id,
    expect: { kind: "valid" },
    mustSucceed,
    request: (previous: Exchange[]) => {
      const last = previous[previous.length - 1];
      if (!last?.response) return undefined;
      const scope = {
        request: last.request,
        requestBody: last.bodyValue,
        response: last.response,
        responseBody: parseJson(last.response.body),
      };
      const body = link.requestBody === undefined ? undefined : fillTemplate(link.requestBody, scope);
      if (link.requestBody !== undefined && body === undefined) return undefined;
      const request = buildRequest(src, target, body === undefined ? {} : { body });
      for (const [name, expr] of Object.entries(link.parameters)) {
        const v = fillTemplate(expr, scope);
        if (v !== undefined) request.path = request.path.replace(`{${name}}`, encodeURIComponent(String(v)));
      }
      return { request, bodyValue: body };
    },
  };
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
      if (!target || cases.length >= src.maxCases) continue;
      const note = singleUseNote(target);
      const body = baseBody(src, op);
      const first: Step = {
        operationId: op.id,
        request: buildRequest(src, op, body === undefined ? {} : { body }),
        expect: { kind: "valid" },
        mustSucceed: true,
        ...(body === undefined ? {} : { bodyValue: body }),
      };
      const steps = [first, linkStep(src, target, link, note !== undefined)];
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
