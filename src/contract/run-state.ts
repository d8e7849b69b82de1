import type { Operation } from "../openapi/index.js";
import { type Credentials, chosenSchemes, credentialTarget } from "./cases/index.js";
import type { CheckTally, StopReason, Summary } from "./events.js";
import { type CaseOutcome, NOT_AUTHENTICATED } from "./run-case.js";
import type { Case, Exchange, RunObservations, SkipReasons, ValidOutcomes } from "./types.js";

/** Refusals in a row, with nothing else, before a given credential is judged wrong. */
const REFUSALS_TO_STOP = 5;
/** Transport failures in a row before the target is judged gone. */
const TRANSPORT_FAILURES_TO_STOP = 5;

const isRefusal = (status: number) => status === 401 || status === 403;

/** The service's own words for a status, when its body has any: `message`, `error`, `detail`. */
export function messageOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    for (const key of ["message", "error", "detail", "title"]) {
      const v = parsed?.[key];
      const text = Array.isArray(v) ? v.join("; ") : v;
      if (typeof text === "string" && text) return text.length > 80 ? `${text.slice(0, 80)}…` : text;
    }
  } catch {}
  return "";
}

/** `404 ×50 — Deployment not found, 401 ×2`: what the statuses seen say, most frequent first. */
export function statusesText(statuses: ValidOutcomes["statuses"]): string {
  return [...statuses.entries()]
    .sort((a, b) => b[1].count - a[1].count)
    .map(([status, s]) => `${status} ×${s.count}${s.message ? ` — ${s.message}` : ""}`)
    .join(", ");
}

/**
 * Everything the runner learns while cases finish: the summary's table, the outcomes of valid
 * requests and the skip reasons (for run-level checks), and whether the run must stop early.
 */
export class RunState {
  readonly valid = new Map<string, ValidOutcomes>();
  readonly skips = new Map<string, Map<string, SkipReasons>>();
  stopped: StopReason | undefined;
  readonly #refusals = new Map<string, { refused: number; other: number; statuses: Map<number, number> }>();
  #transportFailures = 0;

  constructor(
    readonly summary: Summary,
    private readonly operations: Map<string, Operation>,
    private readonly credentials: Credentials,
    private readonly failFast: boolean,
  ) {}

  stop(reason: StopReason): void {
    this.stopped ??= reason;
  }

  tally(c: Case, outcome: CaseOutcome): void {
    const { summary } = this;
    for (const r of outcome.results) {
      const opId = outcome.exchanges[r.step]?.operationId ?? "";
      const row = summary.table[opId] ?? {};
      const cell: CheckTally = row[r.check] ?? { passed: 0, failed: 0, skipped: 0 };
      cell[r.status]++;
      row[r.check] = cell;
      summary.table[opId] = row;
      if (r.status === "skipped") this.#skip(opId, r.check, r.reason, r.missingInput === true);
    }
    const unjudged = new Set<number>();
    for (const r of outcome.results) {
      if (r.check !== NOT_AUTHENTICATED) continue;
      summary.notAuthenticated++;
      unjudged.add(r.step);
    }
    // A 401/403 for want of a credential says nothing about the request: not an outcome to count.
    for (const e of outcome.exchanges) if (!unjudged.has(e.step)) this.#observe(c, e);
    summary.failures.push(...outcome.failures);
    if (outcome.failures.length) summary.failedCases++;
    else summary.passedCases++;
    if (this.failFast && outcome.failures[0]) {
      const f = outcome.failures[0];
      this.stop({
        kind: "fail-fast",
        message: `stopped at the first failure (--fail-fast): [${f.check}] ${f.operationId} — ${f.message}`,
      });
    }
  }

  observations(base: Pick<RunObservations, "spec" | "operations" | "checks" | "phases">): RunObservations {
    return { ...base, valid: this.valid, table: this.summary.table, skips: this.skips };
  }

  #skip(opId: string, check: string, reason: string | undefined, missingInput: boolean): void {
    const row = this.skips.get(opId) ?? new Map<string, SkipReasons>();
    const entry = row.get(check) ?? { reasons: new Map<string, number>(), missingInput: false };
    const text = reason ?? "did not apply";
    entry.reasons.set(text, (entry.reasons.get(text) ?? 0) + 1);
    entry.missingInput ||= missingInput;
    if (missingInput) entry.inputReason = text;
    row.set(check, entry);
    this.skips.set(opId, row);
  }

  #observe(c: Case, e: Exchange): void {
    if (!e.response) {
      if (++this.#transportFailures >= TRANSPORT_FAILURES_TO_STOP)
        this.stop({
          kind: "target-down",
          message: `the target stopped answering (${e.error ?? "no response"}, ${this.#transportFailures} requests in a row); what was found so far is reported`,
        });
      return;
    }
    this.#transportFailures = 0;
    const status = e.response.status;
    if (e.expect === "valid") {
      const v: ValidOutcomes = this.valid.get(e.operationId) ?? {
        sent: 0,
        succeeded: 0,
        statuses: new Map(),
      };
      v.sent++;
      if (status >= 200 && status < 300) v.succeeded++;
      else {
        const s = v.statuses.get(status) ?? { count: 0, message: messageOf(e.response.body) };
        s.count++;
        v.statuses.set(status, s);
        v.sample ??= { caseId: c.id, origin: c.origin, exchange: e };
      }
      this.valid.set(e.operationId, v);
    }
    if (e.expect !== "unauthorized") this.#watchCredentials(e, status);
  }

  /** Counts answers to requests carrying a given credential; all refused → stop, naming the scheme. */
  #watchCredentials(e: Exchange, status: number): void {
    const op = this.operations.get(e.operationId);
    if (!op) return;
    for (const scheme of chosenSchemes(op, this.credentials)) {
      const given = this.credentials[scheme.name];
      const target = credentialTarget(scheme);
      if (given === undefined || target.in !== "header" || e.request.headers[target.name] !== given) continue;
      const w = this.#refusals.get(scheme.name) ?? { refused: 0, other: 0, statuses: new Map() };
      if (isRefusal(status)) {
        w.refused++;
        w.statuses.set(status, (w.statuses.get(status) ?? 0) + 1);
      } else w.other++;
      this.#refusals.set(scheme.name, w);
      if (w.other === 0 && w.refused >= REFUSALS_TO_STOP) {
        const seen = [...w.statuses].map(([s, n]) => `${s} ×${n}`).join(", ");
        this.stop({
          kind: "credential-refused",
          message: `the credential given for ${scheme.name} was refused on every request (${seen}); check --auth ${scheme.name}=<value> (the header value, scheme word included)`,
        });
      }
    }
  }
}
