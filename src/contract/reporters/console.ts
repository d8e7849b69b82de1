import type { ContractEvent, Listener, Summary } from "../events.js";
import type { Failure } from "../types.js";
import { curlOf } from "./curl.js";

export interface ConsoleReporterOptions {
  /** Failures printed in full; the rest are counted. */
  maxFailures?: number;
  /** Failures printed in full per check, operation and message; the rest of that kind are counted. */
  perKind?: number;
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
    for (const [check, cell] of Object.entries(row))
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

function describe(baseUrl: string, f: Failure, n: number): string[] {
  const seen = f.response
    ? `${f.response.status} ${f.response.body.length > 200 ? `${f.response.body.slice(0, 200)}…` : f.response.body}`
    : "no response";
  return [
    `${n}. [${f.check}] ${f.operationId} (${f.severity}) — ${f.message}`,
    `   case:     ${f.caseId} (${f.origin.phase}: ${f.origin.detail})${f.step ? `, step ${f.step + 1}` : ""}`,
    `   expected: ${f.expected}`,
    `   actual:   ${f.actual}`,
    `   response: ${seen}`,
    `   reproduce: ${curlOf(baseUrl, f.request)}`,
  ];
}

/** Progress while the run goes (every tenth of the cases), then a table and every failure with a curl line. */
export function consoleReporter(
  write: (line: string) => void,
  options: ConsoleReporterOptions = {},
): Listener {
  let total = 0;
  let done = 0;
  let failing = 0;
  let nextMark = 0;
  return (event: ContractEvent) => {
    if (event.type === "run-started") {
      total = event.cases;
      nextMark = Math.max(1, Math.ceil(total / 10));
      write(`embedkit test: ${event.spec.title} ${event.spec.version} against ${event.baseUrl}`);
      write(
        `  seed ${event.seed}, ${total} cases, phases ${event.phases.join(",")}, ${event.checks.length} checks, concurrency ${event.concurrency}`,
      );
    } else if (event.type === "case-finished") {
      done++;
      if (event.failures.length) failing++;
      if (done >= nextMark || done === total) {
        write(`  ${done}/${total} cases run, ${failing} failing`);
        nextMark = done + Math.max(1, Math.ceil(total / 10));
      }
    } else if (event.type === "run-finished") {
      const s = event.summary;
      write("");
      for (const line of table(s)) write(line);
      const shown = pick(s.failures, options.perKind ?? 3, options.maxFailures ?? 50);
      if (shown.length) write("\nfailures:");
      shown.forEach(({ failure: f, more }, i) => {
        for (const line of describe(s.baseUrl, f, i + 1)) write(line);
        if (more) write(`   … and ${more} more [${f.check}] ${f.operationId} failure(s) with this message`);
      });
      const printed = shown.reduce((n, x) => n + 1 + x.more, 0);
      if (s.failures.length > printed)
        write(`  … and ${s.failures.length - printed} more (see --report json=<file>)`);
      write("");
      write(
        `${s.cases} cases in ${(s.durationMs / 1000).toFixed(2)} s (${Math.round(s.casesPerSecond)}/s): ${s.passedCases} passed, ${s.failedCases} failed, ${s.failures.length} failure(s). Replay with --seed ${s.seed}.`,
      );
    }
  };
}
