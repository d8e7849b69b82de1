/**
 * `npm run bench:soak`: the built `embedkit mock cube --quiet` under mixed traffic at 50 connections
 * (valid sessions, their exchanges, replays, a spread of invalid requests and the hostile kinds of
 * soak-hostile.ts), its resident memory read from /proc every second. Two passes of the same
 * traffic, one after the other: a baseline with the smallest state budget (1 MiB: every call that
 * would add state soon answers 429), which is what serving this traffic costs, then the budget
 * under test. The state budget bounds what the state adds, so the verdict is the second pass's RSS
 * against the baseline pass's plus the budget, and that RSS is flat over the last third of the run.
 * Writes bench/soak-results.md and .json; exits 1 when any answer was a 5xx or unexpected, a
 * connection failed or the exit was unclean. A bench, not a test: `--duration 2` makes a smoke run
 * whose figures mean nothing.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { packageRoot } from "../src/openapi/index.js";
import { rssMb } from "./lib/process.js";
import { CUBE_AUTH } from "./scenarios.js";
import { HOSTILE_TEMPLATES, type Template } from "./soak-hostile.js";

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "60" },
    connections: { type: "string", default: "50" },
    out: { type: "string" },
    "no-build": { type: "boolean", default: false },
    "budget-mb": { type: "string", default: "64" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  process.stdout.write(
    "usage: npm run bench:soak -- [--duration <s>] [--connections <n>] [--budget-mb <MiB>] [--out <dir>] [--no-build]\n" +
      "  two passes of <duration> each (default 60 s, 50 connections): a 1 MiB-budget baseline, then --budget-mb (default 64)\n",
  );
  process.exit(0);
}
const durationSeconds = Number(values.duration);
const connections = Number(values.connections);
const budgetMb = Number(values["budget-mb"]);
/** The smallest budget the config accepts: the baseline pass holds next to no state. */
const BASELINE_BUDGET_MB = 1;
for (const [flag, n] of [
  ["--duration", durationSeconds],
  ["--connections", connections],
  ["--budget-mb", budgetMb],
] as const) {
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`bench:soak: ${flag} must be a whole number of at least 1\n`);
    process.exit(2);
  }
}
const root = packageRoot();
const outDir = values.out ?? join(root, "bench");
// Made now, so a folder that cannot be made fails at once, not after two passes of traffic.
mkdirSync(outDir, { recursive: true });
const log = (line: string) => process.stderr.write(`[soak] ${line}\n`);

type Context = { sessionId?: string };

const JSON_HEADERS = { "content-type": "application/json" };
const ADMIN = { ...JSON_HEADERS, ...CUBE_AUTH };
const GENERATE = "/api/v1/embed/generate-session";
const EXCHANGE = "/api/v1/embed/session/token";
const DEEP = `${'{"a":'.repeat(100)}1${"}".repeat(100)}`;

/** One connection's cycle: a session made, exchanged once, replayed; seven kinds of bad request; then the hostile kinds. */
const TEMPLATES: Template[] = [
  {
    name: "generate-session",
    // 429 once the hostile kinds have filled the state budget; the exchanges then have no session.
    expect: [200, 429],
    method: "POST",
    path: GENERATE,
    headers: ADMIN,
    setupRequest: (req) => ({
      ...req,
      body: JSON.stringify({
        deploymentId: 32,
        externalId: `soak-${Math.floor(Math.random() * 2000)}@example.com`,
      }),
    }),
    onResponse: (_status, body, context) => {
      (context as Context).sessionId = (JSON.parse(body) as { sessionId?: string }).sessionId;
    },
  },
  ...["exchange (fresh session)", "exchange (replayed session)"].map((name, i) => ({
    name,
    expect: [i === 0 ? 200 : 401, 400],
    method: "POST" as const,
    path: EXCHANGE,
    headers: JSON_HEADERS,
    setupRequest: (req: autocannon.Request, context: object) => ({
      ...req,
      body: JSON.stringify({ sessionId: (context as Context).sessionId }),
    }),
  })),
  {
    name: "malformed JSON",
    expect: [400],
    method: "POST",
    path: GENERATE,
    headers: ADMIN,
    body: '{"deploymentId":',
  },
  {
    name: "schema-invalid body",
    expect: [400],
    method: "POST",
    path: GENERATE,
    headers: ADMIN,
    body: '{"deploymentId":"x"}',
  },
  {
    name: "wrong content type",
    expect: [400],
    method: "POST",
    path: GENERATE,
    headers: { ...CUBE_AUTH, "content-type": "text/plain" },
    body: '{"deploymentId":32}',
  },
  {
    name: "deeply nested body",
    expect: [400],
    method: "POST",
    path: EXCHANGE,
    headers: JSON_HEADERS,
    body: DEEP,
  },
  {
    name: "no credential",
    expect: [401],
    method: "POST",
    path: GENERATE,
    headers: JSON_HEADERS,
    body: '{"deploymentId":32}',
  },
  {
    name: "unknown path",
    expect: [404],
    method: "POST",
    path: "/api/v1/embed/../nope",
    headers: ADMIN,
    body: "{}",
  },
  {
    name: "unknown session",
    expect: [401],
    method: "POST",
    path: EXCHANGE,
    headers: JSON_HEADERS,
    body: `{"sessionId":"${"0".repeat(32)}"}`,
  },
  ...HOSTILE_TEMPLATES,
];

/** `embedkit mock cube --port 0 --quiet` from dist with a state budget; resolves with the process and its origin. */
function startMock(budgetMb: number): Promise<{ child: ChildProcess; origin: string }> {
  const cli = join(root, "dist", "src", "cli", "main.js");
  const config = join(mkdtempSync(join(tmpdir(), "embedkit-soak-")), "config.json");
  writeFileSync(config, JSON.stringify({ cube: { stateBudgetBytes: budgetMb * 1024 * 1024 } }));
  const child = spawn(process.execPath, [cli, "mock", "cube", "--port", "0", "--quiet", "--config", config], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      const match = /^cube (http:\/\/[^/\s]+)\/api$/m.exec(String(chunk));
      if (match?.[1]) resolve({ child, origin: match[1] });
    });
    child.on("exit", (code) => reject(new Error(`embedkit mock exited early with ${code}`)));
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    child.kill("SIGTERM");
  });
}

/** Every template's answers by status, so a soak also shows that each kind got what it should. */
function tallied(templates: Template[], counts: Map<string, number>): autocannon.Request[] {
  return templates.map(({ name, expect: _expect, onResponse, ...request }) => ({
    ...request,
    onResponse: (status: number, body: string, context: object, headers: autocannon.Request["headers"]) => {
      const key = `${name}\t${status}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      if (typeof onResponse === "function" && status === 200) onResponse(status, body, context, headers);
    },
  }));
}

/** One pass: a fresh mock with this budget under the whole mix for the duration. */
async function pass(budgetMb: number) {
  const { child, origin } = await startMock(budgetMb);
  const pid = child.pid;
  await new Promise((r) => setTimeout(r, 500));
  const startRssMb = rssMb(pid);
  const samples: { second: number; rssMb: number }[] = [];
  const started = Date.now();
  const sampler = setInterval(
    () => samples.push({ second: Math.round((Date.now() - started) / 1000), rssMb: rssMb(pid) }),
    1000,
  );
  log(
    `${origin}: ${budgetMb} MiB budget, ${durationSeconds} s at ${connections} connections, ${TEMPLATES.length} request kinds`,
  );
  const counts = new Map<string, number>();
  const result = await autocannon({
    url: origin,
    connections,
    duration: durationSeconds,
    requests: tallied(TEMPLATES, counts),
  });
  clearInterval(sampler);
  const endRssMb = rssMb(pid);
  const exitCode = await stop(child);
  const byStatus = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([status, s]) => [status, s.count ?? 0]),
  );
  const kinds = TEMPLATES.map((t) => ({
    kind: t.name,
    expected: t.expect,
    answers: Object.fromEntries(
      [...counts].filter(([k]) => k.startsWith(`${t.name}\t`)).map(([k, n]) => [k.split("\t")[1], n]),
    ),
  }));
  const rss = samples.map((s) => s.rssMb);
  const third = Math.max(1, Math.floor(rss.length / 3));
  return {
    budgetMb,
    requests: result.requests.total,
    requestsPerSecond: Math.round(result.requests.average),
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    count5xx: result["5xx"],
    errors: result.errors,
    timeouts: result.timeouts,
    byStatus,
    kinds,
    rssMb: {
      start: round(startRssMb),
      end: round(endRssMb),
      max: round(Math.max(startRssMb, endRssMb, ...rss)),
    },
    /** RSS max of the last third of the run and of the third before it: flat when the last is not higher. */
    thirdsMaxMb: { middle: peak(rss.slice(-2 * third, -third)), last: peak(rss.slice(-third)) },
    unexpected: kinds.reduce(
      (sum, k) =>
        sum +
        Object.entries(k.answers).reduce(
          (n, [s, c]) => n + (k.expected.includes(Number(s)) ? 0 : (c as number)),
          0,
        ),
      0,
    ),
    samples: samples.map((s) => ({ ...s, rssMb: round(s.rssMb) })),
    exitCodeAfterSigterm: exitCode,
  };
}

const round = (n: number) => Math.round(n * 10) / 10;
/** NaN for a run too short to have the samples (a smoke run). */
const peak = (xs: number[]) => (xs.length > 0 ? round(Math.max(...xs)) : Number.NaN);

async function soak() {
  if (!values["no-build"]) {
    log("building (npm run -s build)");
    execFileSync("npm", ["run", "-s", "build"], { cwd: root, stdio: "inherit" });
  }
  const baseline = await pass(BASELINE_BUDGET_MB);
  const budgeted = await pass(budgetMb);
  return {
    date: new Date().toISOString(),
    node: process.version,
    durationSeconds,
    connections,
    budgetMb,
    baseline,
    budgeted,
    verdict: {
      /** What the state adds stays within the budget: RSS max under the baseline pass's max plus the budget. */
      underBaselinePlusBudget: budgeted.rssMb.max <= baseline.rssMb.max + budgetMb,
      /** The stricter figure: under the idle process's RSS plus the budget (heap headroom and in-flight requests count too). */
      underStartPlusBudget: budgeted.rssMb.max <= budgeted.rssMb.start + budgetMb,
      /** Flat: the last third of the budget pass peaks no higher than the third before it (5% slack for GC timing). */
      flat: budgeted.thirdsMaxMb.last <= budgeted.thirdsMaxMb.middle * 1.05,
    },
  };
}

type Soak = Awaited<ReturnType<typeof soak>>;

const yes = (b: boolean) => (b ? "yes" : "NO");

function markdown(r: Soak): string {
  const b = r.budgeted;
  const base = r.baseline;
  const rows = b.kinds.map(
    (k) =>
      `| ${k.kind} | ${k.expected.join(" or ")} | ${Object.entries(k.answers)
        .map(([s, n]) => `${s}: ${n}`)
        .join(", ")} |`,
  );
  return [
    "# Soak: `embedkit mock cube --quiet` under mixed and hostile traffic",
    "",
    `${r.date}, Node ${r.node}; two passes of ${r.durationSeconds} s at ${r.connections} connections (autocannon), RSS read from /proc every second.`,
    "",
    `| figure | baseline pass (${base.budgetMb} MiB budget) | budget pass (${b.budgetMb} MiB budget) |`,
    "|---|---|---|",
    `| requests | ${base.requests} (${base.requestsPerSecond} req/s) | ${b.requests} (${b.requestsPerSecond} req/s) |`,
    `| 5xx answers | ${base.count5xx} | ${b.count5xx} |`,
    `| connection errors / timeouts | ${base.errors} / ${base.timeouts} | ${b.errors} / ${b.timeouts} |`,
    `| latency p50 / p99 / max | ${base.latencyMs.p50} / ${base.latencyMs.p99} / ${base.latencyMs.max} ms | ${b.latencyMs.p50} / ${b.latencyMs.p99} / ${b.latencyMs.max} ms |`,
    `| RSS start / end / max (MiB) | ${base.rssMb.start} / ${base.rssMb.end} / ${base.rssMb.max} | ${b.rssMb.start} / ${b.rssMb.end} / ${b.rssMb.max} |`,
    `| RSS max, middle / last third (MiB) | ${base.thirdsMaxMb.middle} / ${base.thirdsMaxMb.last} | ${b.thirdsMaxMb.middle} / ${b.thirdsMaxMb.last} |`,
    `| answers outside each kind's expected statuses | ${base.unexpected} | ${b.unexpected} |`,
    `| exit code after SIGTERM | ${base.exitCodeAfterSigterm} | ${b.exitCodeAfterSigterm} |`,
    "",
    `- RSS max under the baseline's max plus the budget (${base.rssMb.max} + ${r.budgetMb} = ${round(base.rssMb.max + r.budgetMb)} MiB): **${yes(r.verdict.underBaselinePlusBudget)}** (${b.rssMb.max} MiB)`,
    `- RSS flat (the last third peaks no higher than the third before it, 5% slack): **${yes(r.verdict.flat)}**`,
    `- stricter, RSS max under the idle start plus the budget (${b.rssMb.start} + ${r.budgetMb} MiB): ${yes(r.verdict.underStartPlusBudget)}`,
    "",
    "| request kind (budget pass) | expected | answers |",
    "|---|---|---|",
    ...rows,
    "",
    `Baseline RSS by second (MiB): ${base.samples.map((s) => s.rssMb).join(" ")}`,
    "",
    `Budget pass RSS by second (MiB): ${b.samples.map((s) => s.rssMb).join(" ")}`,
    "",
  ].join("\n");
}

const results = await soak();
writeFileSync(join(outDir, "soak-results.json"), `${JSON.stringify(results, null, 2)}\n`);
const md = markdown(results);
writeFileSync(join(outDir, "soak-results.md"), md);
process.stdout.write(md);
// RSS is reported, not failed: it depends on the machine and on what else runs on it.
const failed = [results.baseline, results.budgeted].some(
  (p) => p.count5xx > 0 || p.errors > 0 || p.exitCodeAfterSigterm !== 0 || p.unexpected > 0,
);
if (failed) log("FAILED: 5xx answers, connection errors, unexpected answers or an unclean exit (see above)");
process.exitCode = failed ? 1 : 0;
