import type { Summary } from "../events.js";
import { curlOf } from "./curl.js";
import { NO_MASK, type SecretMask } from "./secrets.js";

const esc = (s: string) =>
  s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

const list = (items: readonly (string | number)[], cls = "") =>
  items.length
    ? items.map((i) => `<code class="${cls}">${esc(String(i))}</code>`).join(" ")
    : "<span class=none>—</span>";

function coverageRows(s: Summary): string {
  return Object.entries(s.coverage ?? {})
    .map(([op, c]) => {
      const checks = Object.values(s.table[op] ?? {}).reduce(
        (n, t) => ({ passed: n.passed + t.passed, failed: n.failed + t.failed }),
        { passed: 0, failed: 0 },
      );
      return `<tr class="${checks.failed ? "bad" : ""}"><th>${esc(op)}</th>
<td>${list(c.statuses.seen, "ok")}<br>${c.statuses.notSeen.length ? `not seen: ${list(c.statuses.notSeen, "miss")}` : ""}</td>
<td>${c.parameters.sent.length}/${c.parameters.declared.length} ${list(
        c.parameters.declared.filter((p) => !c.parameters.sent.includes(p)),
        "miss",
      )}</td>
<td>${c.bodyFields.sent.length}/${c.bodyFields.declared.length} ${list(
        c.bodyFields.declared.filter((f) => !c.bodyFields.sent.includes(f)),
        "miss",
      )}</td>
<td>${checks.passed}</td><td>${checks.failed}</td></tr>`;
    })
    .join("\n");
}

function failureItems(s: Summary, max: number, mask: SecretMask): string {
  return s.failures
    .slice(0, max)
    .map(
      (f) => `<li><b>[${esc(f.check)}]</b> ${esc(f.operationId)} — ${esc(f.message)}
<div>case ${esc(f.caseId)} (${esc(f.origin.phase)}: ${esc(f.origin.detail)}); expected ${esc(f.expected)}, got ${esc(f.actual)}</div>
<pre>${esc(curlOf(s.baseUrl, f.request, mask))}</pre></li>`,
    )
    .join("\n");
}

/**
 * One self-contained HTML page: per operation, the declared statuses seen and not seen, the
 * parameters and body fields exercised (those never sent are listed), the checks' tallies, then
 * the failures with a curl line each. No script, no external asset: it opens from a CI artefact.
 * Given secrets are masked, as in the other reports.
 */
export function htmlReport(s: Summary, title = "embedkit test", mask: SecretMask = NO_MASK): string {
  const more =
    s.failures.length > 200
      ? `<p>… and ${s.failures.length - 200} more failures (see --report json).</p>`
      : "";
  return mask.text(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
tr.bad th{color:#b00}code{background:#f3f3f3;padding:0 3px}code.miss{background:#fde2e2}code.ok{background:#e2f5e2}.none{color:#999}pre{white-space:pre-wrap;background:#f7f7f7;padding:6px}</style></head>
<body><h1>${esc(title)}</h1>
<p>${s.cases} cases against <code>${esc(s.baseUrl)}</code> in ${(s.durationMs / 1000).toFixed(2)} s: ${s.passedCases} passed, ${s.failedCases} failed, ${s.failures.length} failure(s). Seed ${s.seed}.</p>
${(s.notes ?? []).map((n) => `<p class=note>note: ${esc(n)}</p>`).join("\n")}
<h2>Coverage</h2>
<table><thead><tr><th>operation</th><th>statuses seen</th><th>parameters sent</th><th>body fields sent</th><th>checks passed</th><th>failed</th></tr></thead>
<tbody>
${coverageRows(s)}
</tbody></table>
<h2>Failures</h2>
<ol>
${failureItems(s, 200, mask)}
</ol>${more}
</body></html>
`);
}
