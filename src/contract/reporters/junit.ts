import type { Summary } from "../events.js";
import type { Failure } from "../types.js";
import { curlOf } from "./curl.js";
import { NO_MASK, type SecretMask } from "./secrets.js";

/** XML 1.0 forbids most control characters even when escaped; they become "?". */
function dropControls(s: string): string {
  let out = "";
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    out += code < 32 && code !== 9 && code !== 10 && code !== 13 ? "?" : ch;
  }
  return out;
}

const xmlText = (s: string) =>
  dropControls(s)
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");

function failureText(baseUrl: string, failures: Failure[], mask: SecretMask): string {
  return failures
    .map((f) =>
      [
        `${f.caseId} (${f.origin.phase}: ${f.origin.detail})`,
        `  ${f.message}`,
        `  expected: ${f.expected}`,
        `  actual:   ${f.actual}`,
        ...(f.request.method ? [`  ${curlOf(baseUrl, f.request, mask)}`] : []),
      ].join("\n"),
    )
    .join("\n\n");
}

/** (operation, check) pairs worth a testcase: checks that judged something, and every failure's. */
function testcasesOf(summary: Summary): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (op: string, check: string) => out.set(op, (out.get(op) ?? new Set()).add(check));
  for (const [op, row] of Object.entries(summary.table))
    for (const [check, cell] of Object.entries(row)) if (cell.passed + cell.failed > 0) add(op, check);
  for (const f of summary.failures) add(f.operationId, f.check);
  return out;
}

/**
 * JUnit XML as CI tools read it: one testsuite per operation, one testcase per operation × check
 * that judged at least one response (transport failures get their own testcase); a testcase holds
 * a single <failure> that lists every failing case. Given secrets are masked.
 */
export function junitReport(
  summary: Summary,
  name = "embedkit contract",
  mask: SecretMask = NO_MASK,
): string {
  const suites: string[] = [];
  let tests = 0;
  let failed = 0;
  for (const [operationId, checks] of testcasesOf(summary)) {
    const cases: string[] = [];
    let suiteFailed = 0;
    for (const check of checks) {
      const failures = summary.failures.filter((f) => f.operationId === operationId && f.check === check);
      const open = `    <testcase classname="${xmlText(operationId)}" name="${xmlText(check)}" time="0">`;
      if (failures.length) {
        suiteFailed++;
        const first = failures[0] as Failure;
        const message = `${failures.length} failing request(s): ${first.message}`;
        cases.push(
          `${open}\n      <failure message="${xmlText(message)}" type="${xmlText(check)}">${xmlText(failureText(summary.baseUrl, failures, mask))}</failure>\n    </testcase>`,
        );
      } else cases.push(`${open}</testcase>`);
    }
    tests += cases.length;
    failed += suiteFailed;
    suites.push(
      `  <testsuite name="${xmlText(operationId)}" tests="${cases.length}" failures="${suiteFailed}" errors="0" skipped="0" time="0">\n${cases.join("\n")}\n  </testsuite>`,
    );
  }
  const time = (summary.durationMs / 1000).toFixed(3);
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xmlText(name)} (seed ${summary.seed})" tests="${tests}" failures="${failed}" errors="0" time="${time}">\n${suites.join("\n")}\n</testsuites>\n`;
  return mask.text(xml);
}
