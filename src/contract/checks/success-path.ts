import { NOTE_DEFINITIONS, type NoteDefinition, type Operation } from "../../openapi/index.js";
import { statusesText } from "../run-state.js";
import type { Check, RunFinding, RunObservations } from "../types.js";
import { declaresSuccess } from "./declared.js";

/** The notes on an operation and on its 2xx responses, each with the checks it asks for. */
function notesOf(op: Operation): NoteDefinition<unknown>[] {
  const places = [
    op.extensions,
    ...Object.values(op.responses)
      .filter((r) => /^2/.test(r.status))
      .map((r) => r.extensions),
  ];
  return NOTE_DEFINITIONS.filter((d) => d.checks?.length && places.some((x) => x[d.key] !== undefined));
}

function neverSucceeded(op: Operation, run: RunObservations): RunFinding[] {
  if (!declaresSuccess(op)) return [];
  const v = run.valid.get(op.id);
  if (!v || v.sent === 0 || v.succeeded > 0) return [];
  return [
    {
      operationId: op.id,
      message: `${op.id}: ${v.sent} valid request(s), 0 succeeded: ${statusesText(v.statuses)}`,
      expected: "at least one schema-valid request with valid credentials answered 2xx",
      actual: statusesText(v.statuses),
      ...(v.sample ? { sample: v.sample } : {}),
    },
  ];
}

/** Checks a note asks for that never ran, unless all that was missing is an input (a token key). */
function unrunNoteChecks(op: Operation, run: RunObservations): RunFinding[] {
  const out: RunFinding[] = [];
  const sample = run.valid.get(op.id)?.sample;
  for (const note of notesOf(op)) {
    if (note.phase && !run.phases.includes(note.phase)) continue;
    for (const check of note.checks ?? []) {
      if (!run.checks.includes(check)) continue;
      const cell = run.table[op.id]?.[check];
      if (cell && cell.passed + cell.failed > 0) continue;
      const skips = run.skips.get(op.id)?.get(check);
      if (skips?.missingInput) continue; // listed as "not exercised", with what to give
      const why = skips ? [...skips.reasons.keys()].join("; ") : "no request reached it";
      out.push({
        operationId: op.id,
        message: `${check} never ran on ${op.id}, though its ${note.key} note asks for it (${why})`,
        expected: `${check} judged at least one response`,
        actual: "never ran",
        ...(sample ? { sample } : {}),
      });
    }
  }
  return out;
}

/**
 * A run is only green when the contract was really exercised: each operation answered at least one
 * schema-valid request with a 2xx, and every check an `x-embedkit-*` note asks for ran. Without
 * this, a service that refuses everything with a declared 404 passes every other check.
 */
export const successPath: Check = {
  id: "success-path",
  severity: "critical",
  description: "every operation succeeded at least once, and every check its x-embedkit-* notes ask for ran",
  judgeRun: (run) =>
    run.operations.flatMap((op) => [...neverSucceeded(op, run), ...unrunNoteChecks(op, run)]),
};
