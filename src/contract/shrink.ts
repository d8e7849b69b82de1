import { isObj } from "./generate/schema-walk.js";
import type { CaseOutcome, CaseRunContext } from "./run-case.js";
import type { Case } from "./types.js";

/** Simpler versions of a value, simplest first: fewer properties and items, shorter strings, smaller numbers. */
export function* smaller(value: unknown, depth = 0): Generator<unknown> {
  if (typeof value === "string") {
    if (value.length > 0) yield "";
    if (value.length > 1) yield value.slice(0, 1);
    if (value.length > 2) yield value.slice(0, Math.ceil(value.length / 2));
    if (value.length > 1) yield value.slice(0, -1);
  } else if (typeof value === "number") {
    if (value !== 0) yield 0;
    if (!Number.isInteger(value)) yield Math.trunc(value);
    if (Math.abs(value) > 1) yield Math.trunc(value / 2);
    if (Math.abs(value) >= 1) yield value - Math.sign(value);
  } else if (value === true) {
    yield false;
  } else if (Array.isArray(value)) {
    if (value.length > 0) yield [];
    if (value.length > 1) yield value.slice(0, Math.ceil(value.length / 2));
    for (let i = 0; i < value.length && i < 8; i++) yield value.filter((_, j) => j !== i);
    if (depth < 4)
      for (let i = 0; i < value.length && i < 8; i++)
        for (const s of smaller(value[i], depth + 1)) yield value.map((v, j) => (j === i ? s : v));
  } else if (isObj(value)) {
    const keys = Object.keys(value);
    if (keys.length > 0) yield {};
    for (const k of keys) {
      const { [k]: _dropped, ...rest } = value;
      yield rest;
    }
    if (depth < 4)
      for (const k of keys) for (const s of smaller(value[k], depth + 1)) yield { ...value, [k]: s };
  }
}

export interface ShrinkBudget {
  /** Wall time allowed for one case. */
  ms: number;
  /** Requests allowed for one case. */
  attempts: number;
}

/**
 * Shrinks a failing generated case (its last step: the one request, or the request on an item the
 * steps before it made) to the smallest value that still fails the same check on the same step,
 * within the budget. Each accepted candidate restarts the search from
 * itself (greedy, as Hypothesis and Schemathesis do). Returns the outcome of the smallest case.
 */
export async function shrinkCase(
  rc: CaseRunContext,
  c: Case,
  outcome: CaseOutcome,
  run: (rc: CaseRunContext, c: Case) => Promise<CaseOutcome>,
  budget: ShrinkBudget,
): Promise<{ outcome: CaseOutcome; steps: number } | undefined> {
  const spec = c.shrink;
  const target = outcome.failures[0];
  // Only the last step is rebuilt (earlier ones make its item): the failure must be that step's.
  const last = c.steps.length - 1;
  if (!spec || !target || target.step !== last) return undefined;
  const stop = performance.now() + budget.ms;
  let current = spec.value;
  let best: CaseOutcome | undefined;
  let attempts = 0;
  let steps = 0;
  search: for (;;) {
    for (const candidate of smaller(current)) {
      if (attempts >= budget.attempts || performance.now() > stop) break search;
      if (JSON.stringify(candidate).length >= JSON.stringify(current).length || !spec.keep(candidate))
        continue;
      attempts++;
      const built = spec.rebuild(candidate);
      const step = { ...(c.steps[last] as Case["steps"][number]), request: built.request };
      if (built.bodyValue !== undefined) step.bodyValue = built.bodyValue;
      const next = await run(rc, { ...c, steps: [...c.steps.slice(0, last), step] });
      if (next.failures.some((f) => f.check === target.check && f.step === last)) {
        current = candidate;
        best = next;
        steps++;
        continue search;
      }
    }
    break;
  }
  return best ? { outcome: best, steps } : undefined;
}
