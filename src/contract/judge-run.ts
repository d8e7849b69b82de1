import type { Operation } from "../openapi/index.js";
import type { NotExercised, Summary } from "./events.js";
import type { RunState } from "./run-state.js";
import type { Check, Failure, RunFinding, RunObservations } from "./types.js";

function failureOf(check: Check, f: RunFinding): Failure {
  const sample = f.sample;
  const failure: Failure = {
    check: check.id,
    severity: check.severity,
    message: f.message,
    expected: f.expected,
    actual: f.actual,
    caseId: sample?.caseId ?? `${f.operationId}/run`,
    operationId: f.operationId,
    origin: sample?.origin ?? { phase: "examples", detail: "the whole run" },
    step: sample?.exchange.step ?? 0,
    request: sample?.exchange.request ?? { method: "", path: "", headers: {} },
  };
  if (sample?.exchange.response) failure.response = sample.exchange.response;
  return failure;
}

/** Runs the checks that judge the whole run; their verdicts join the table and the failures. */
export function judgeRun(checks: readonly Check[], run: RunObservations, summary: Summary): void {
  for (const check of checks) {
    if (!check.judgeRun) continue;
    const findings = check.judgeRun(run);
    for (const op of run.operations) {
      if (!run.valid.has(op.id)) continue;
      const failed = findings.filter((f) => f.operationId === op.id);
      const row = summary.table[op.id] ?? {};
      row[check.id] = { passed: failed.length ? 0 : 1, failed: failed.length ? 1 : 0, skipped: 0 };
      summary.table[op.id] = row;
      summary.failures.push(...failed.map((f) => failureOf(check, f)));
    }
  }
}

/**
 * Checks that judged no response in the whole run, each with the reason most of its skips gave:
 * what a green run did not prove (no declared header ever seen, no single-use credential, ...).
 */
export function notExercised(
  checks: readonly string[],
  operations: readonly Operation[],
  state: RunState,
): NotExercised[] {
  const out: NotExercised[] = [];
  for (const check of checks) {
    const cells = operations.map((op) => state.summary.table[op.id]?.[check]);
    if (cells.some((cell) => cell && cell.passed + cell.failed > 0)) continue;
    const reasons = new Map<string, number>();
    let input: string | undefined;
    for (const op of operations) {
      const skips = state.skips.get(op.id)?.get(check);
      input ??= skips?.inputReason;
      for (const [reason, n] of skips?.reasons ?? []) reasons.set(reason, (reasons.get(reason) ?? 0) + n);
    }
    // What the user can give (a token key) says more than what could never apply.
    const reason =
      input ?? [...reasons.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "no request reached it";
    out.push({ check, operationIds: operations.map((op) => op.id), reason });
  }
  return out;
}
