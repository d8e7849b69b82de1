import type { Summary } from "../events.js";
import type { Failure } from "../types.js";
import { curlOf } from "./curl.js";

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

function failureText(baseUrl: string, failures: Failure[]): string {
  return failures
    .map((f) =>
      [
        `${f.caseId} (${f.origin.phase}: ${f.origin.detail})`,
        `  ${f.message}`,
        `  expected: ${f.expected}`,
        `  actual:   ${f.actual}`,
        `  ${curlOf(baseUrl, f.request)}`,
      ].join("\n"),
    )
    .join("\n\n");
}

/**
 * JUnit XML as CI tools read it: one testsuite per operation, one testcase per operation × check;
 * a testcase holds a single <failure> that lists every failing case, or <skipped/> when the check
 * never applied.
 */
export function junitReport(summary: Summary, name = "embedkit contract"): string {
  const suites: string[] = [];
  let tests = 0;
  let failed = 0;
  for (const [operationId, row] of Object.entries(summary.table)) {
    const cases: string[] = [];
    let suiteFailed = 0;
    let suiteSkipped = 0;
    for (const [check, cell] of Object.entries(row)) {
      const failures = summary.failures.filter((f) => f.operationId === operationId && f.check === check);
      const open = `    <testcase classname="${xmlText(operationId)}" name="${xmlText(check)}" time="0">`;
      if (failures.length) {
        suiteFailed++;
        const first = failures[0] as Failure;
        const message = `${failures.length} failing request(s): ${first.message}`;
        cases.push(
          `${open}\n      <failure message="${xmlText(message)}" type="${xmlText(check)}">${xmlText(failureText(summary.baseUrl, failures))}</failure>\n    </testcase>`,
        );
      } else if (cell.passed === 0) {
        suiteSkipped++;
        cases.push(
          `${open}\n      <skipped message="the check did not apply to any request"/>\n    </testcase>`,
        );
      } else cases.push(`${open}</testcase>`);
    }
    tests += cases.length;
    failed += suiteFailed;
    suites.push(
      `  <testsuite name="${xmlText(operationId)}" tests="${cases.length}" failures="${suiteFailed}" errors="0" skipped="${suiteSkipped}" time="0">\n${cases.join("\n")}\n  </testsuite>`,
    );
  }
  const time = (summary.durationMs / 1000).toFixed(3);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xmlText(name)} (seed ${summary.seed})" tests="${tests}" failures="${failed}" errors="0" time="${time}">\n${suites.join("\n")}\n</testsuites>\n`;
}
