import type { ContractEvent, Listener, Summary } from "../events.js";
import type { Failure } from "../types.js";
import { curlOf } from "./curl.js";
import { NO_MASK, type SecretMask } from "./secrets.js";

export interface ConsoleReporterOptions {
  /** Failures printed in full; the rest are counted. */
  maxFailures?: number;
  /** Failures printed in full per check, operation and message; the rest of that kind are counted. */
  perKind?: number;
  /** Secrets to keep out of every line (curl lines read them from their variables). */
  mask?: SecretMask;
}

interface Shown {
  failure: Failure;
  /** Failures of the same kind left out after this one. */
  more: number;
}

/**
 * The failures to print: a few of each kind, kinds in the order they first failed. One defect
 * seen fifty times (say every token failing to verify) must not hide a different one behind it.
 */
function pick(failures: Failure[], perKind: number, max: number): Shown[] {
  const kinds = new Map<string, Failure[]>();
  for (const f of failures) {
    const key = `${f.check}\u0000${f.operationId}\u0000${f.message}`;
    const group = kinds.get(key);
    if (group) group.push(f);
    else kinds.set(key, [f]);
  }
  const shown: Shown[] = [];
  for (const group of kinds.values()) {
    const take = group.slice(0, Math.min(perKind, max - shown.length));
    shown.push(...take.map((failure) => ({ failure, more: 0 })));
    const last = shown[shown.length - 1];
    if (last && take.length) last.more = group.length - take.length;
    if (shown.length >= max) break;
  }
  return shown;
}

function table(summary: Summary): string[] {
  const rows: string[][] = [["operation", "check", "passed", "failed", "skipped"]];
  for (const [op, row] of Object.entries(summary.table)) {
    // A check that judged nothing here is noise in the table; "not exercised" says why.
    for (const [check, cell] of Object.entries(row))
      if (cell.passed + cell.failed > 0)
        rows.push([op, check, String(cell.passed), String(cell.failed), String(cell.skipped)]);
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  const line = (r: string[]) =>
    `  ${r.map((c, i) => (i >= 2 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join("  ")}`;
  return [
    line(rows[0] ?? []),
    `  ${widths.map((w) => "-".repeat(w)).join("  ")}`,
    ...rows.slice(1).map(line),
  ];
}

/** One line per operation: statuses seen and never seen, parameters and body fields sent of those declared. */
function coverageLines(s: Summary): string[] {
  const entries = Object.entries(s.coverage ?? {});
  if (!entries.length) return [];
  const lines = ["", "coverage:"];
  for (const [op, c] of entries) {
    const missing = c.statuses.notSeen.length ? `; not seen ${c.statuses.notSeen.join(",")}` : "";
    const params = c.parameters.declared.length
      ? `; parameters ${c.parameters.sent.length}/${c.parameters.declared.length}`
      : "";
    const fields = c.bodyFields.declared.length
      ? `; body fields ${c.bodyFields.sent.length}/${c.bodyFields.declared.length}`
      : "";
    lines.push(`  ${op}: statuses ${c.statuses.seen.join(",") || "none"}${missing}${params}${fields}`);
  }
  return lines;
}

function describe(baseUrl: string, f: Failure, n: number, mask: SecretMask): string[] {
  const seen = f.response
    ? `${f.response.status} ${f.response.body.length > 200 ? `${f.response.body.slice(0, 200)}…` : f.response.body}`
    : "no response";
  return [
    `${n}. [${f.check}] ${f.operationId} (${f.severity}) — ${f.message}`,
    `   case:     ${f.caseId} (${f.origin.phase}: ${f.origin.detail})${f.step ? `, step ${f.step + 1}` : ""}`,
    `   expected: ${f.expected}`,
    `   actual:   ${f.actual}`,
    `   response: ${seen}`,
    ...(f.request.method ? [`   reproduce: ${curlOf(baseUrl, f.request, mask)}`] : []),
  ];
}

/** What the run did not prove, and how it waited or why it stopped. */
function epilogue(s: Summary): string[] {
  const out: string[] = [];
  if (s.notExercised.length) {
    out.push("", "not exercised (no response was judged by these checks):");
    for (const n of s.notExercised) out.push(`  ${n.check}: ${n.reason}`);
  }
  if (s.retries.count)
    out.push(
      "",
      `waited ${s.retries.count} time(s) for the service's Retry-After after a 429, ${(s.retries.waitedMs / 1000).toFixed(1)} s in all`,
    );
  return out;
}

/** The last line: the verdict, and the first reason when the run is not green. */
function verdict(s: Summary): string {
  const counts = `${s.casesRun}/${s.cases} cases in ${(s.durationMs / 1000).toFixed(2)} s (${Math.round(s.casesPerSecond)}/s): ${s.passedCases} passed, ${s.failedCases} failed, ${s.failures.length} failure(s). Replay with --seed ${s.seed}.`;
  if (s.stopped) return `${counts}\nstopped: ${s.stopped.message}`;
  const first = s.failures.find((f) => f.check === "success-path") ?? s.failures[0];
  return first ? `${counts}\nFAILED: [${first.check}] ${first.message}` : counts;
}

/** Progress while the run goes (every tenth of the cases), then a table and every failure with a curl line. */
export function consoleReporter(raw: (line: string) => void, options: ConsoleReporterOptions = {}): Listener {
  let total = 0;
  let done = 0;
  let failing = 0;
  let nextMark = 0;
  let retried = false;
  const mask = options.mask ?? NO_MASK;
  const write = (line: string) => raw(mask.text(line));
  return (event: ContractEvent) => {
    if (event.type === "run-started") {
      total = event.cases;
      nextMark = Math.max(1, Math.ceil(total / 10));
      write(`embedkit test: ${event.spec.title} ${event.spec.version} against ${event.baseUrl}`);
      write(
        `  seed ${event.seed}, ${total} cases, phases ${event.phases.join(",")}, ${event.checks.length} checks, concurrency ${event.concurrency}`,
      );
      for (const w of event.warnings ?? []) write(`warning: ${w}`);
    } else if (event.type === "case-finished") {
      done++;
      if (event.failures.length) failing++;
      if (done >= nextMark || done === total) {
        write(`  ${done}/${total} cases run, ${failing} failing`);
        nextMark = done + Math.max(1, Math.ceil(total / 10));
      }
    } else if (event.type === "retry" && !retried) {
      retried = true;
      write(
        `  ${event.operationId} answered 429: waiting ${(event.waitMs / 1000).toFixed(1)} s as its Retry-After says, then sending again (every wait is counted below)`,
      );
    } else if (event.type === "run-finished") {
      const s = event.summary;
      // Every answer was a refusal of the credential: the one line below says all there is.
      if (s.stopped?.kind === "credential-refused") return write(verdict(s).split("\n").at(-1) ?? "");
      write("");
      for (const line of table(s)) write(line);
      for (const line of coverageLines(s)) write(line);
      const shown = pick(s.failures, options.perKind ?? 3, options.maxFailures ?? 50);
      if (shown.length) write("\nfailures:");
      shown.forEach(({ failure: f, more }, i) => {
        for (const line of describe(s.baseUrl, f, i + 1, mask)) write(line);
        if (more) write(`   … and ${more} more [${f.check}] ${f.operationId} failure(s) with this message`);
      });
      const printed = shown.reduce((n, x) => n + 1 + x.more, 0);
      if (s.failures.length > printed)
        write(`  … and ${s.failures.length - printed} more (see --report json=<file>)`);
      for (const line of epilogue(s)) write(line);
      write("");
      for (const note of s.notes ?? []) write(`note: ${note}`);
      for (const line of verdict(s).split("\n")) write(line);
    }
  };
}
