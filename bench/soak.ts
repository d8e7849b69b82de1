/**
 * `npm run bench:soak`: the built `embedkit mock cube --quiet` under 60 s of mixed traffic at 50
 * connections (valid sessions, their exchanges, replays, and a spread of invalid requests), its
 * resident memory read from /proc every second. Writes bench/soak-results.md and .json; exits 1
 * when any answer was a 5xx or a connection failed. A bench, not a test: `--duration 2` makes a
 * smoke run whose figures mean nothing.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
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
  },
});
const durationSeconds = Number(values.duration);
const connections = Number(values.connections);
const budgetMb = Number(values["budget-mb"]);
const root = packageRoot();
const outDir = values.out ?? join(root, "bench");
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

/** `embedkit mock cube --port 0 --quiet` from dist; resolves with the process and its origin. */
function startMock(): Promise<{ child: ChildProcess; origin: string }> {
  const cli = join(root, "dist", "src", "cli", "main.js");
  // The state budget the run is judged against: RSS must stay under it plus the baseline.
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

async function soak() {
  if (!values["no-build"]) {
    log("building (npm run -s build)");
    execFileSync("npm", ["run", "-s", "build"], { cwd: root, stdio: "inherit" });
  }
  const { child, origin } = await startMock();
  const pid = child.pid;
  await new Promise((r) => setTimeout(r, 500));
  const startRssMb = rssMb(pid);
  const samples: { second: number; rssMb: number }[] = [];
  const started = Date.now();
  const sampler = setInterval(
    () => samples.push({ second: Math.round((Date.now() - started) / 1000), rssMb: rssMb(pid) }),
    1000,
  );
  log(`${origin}: ${durationSeconds} s at ${connections} connections, ${TEMPLATES.length} request kinds`);
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
  return {
    date: new Date().toISOString(),
    node: process.version,
    durationSeconds,
    connections,
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
      max: round(Math.max(startRssMb, endRssMb, ...samples.map((s) => s.rssMb))),
    },
    /** The state budget the mock ran with; RSS max must stay under start + budget. */
    budgetMb,
    underBudget: Math.max(endRssMb, ...samples.map((s) => s.rssMb)) <= startRssMb + budgetMb,
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

type Soak = Awaited<ReturnType<typeof soak>>;

function markdown(r: Soak): string {
  const rows = r.kinds.map(
    (k) =>
      `| ${k.kind} | ${k.expected.join(" or ")} | ${Object.entries(k.answers)
        .map(([s, n]) => `${s}: ${n}`)
        .join(", ")} |`,
  );
  return [
    "# Soak: `embedkit mock cube --quiet` under mixed and hostile traffic",
    "",
    `${r.date}, Node ${r.node}; ${r.durationSeconds} s at ${r.connections} connections (autocannon), RSS read from /proc every second.`,
    "",
    "| figure | value |",
    "|---|---|",
    `| requests | ${r.requests} (${r.requestsPerSecond} req/s) |`,
    `| 5xx answers | ${r.count5xx} |`,
    `| connection errors / timeouts | ${r.errors} / ${r.timeouts} |`,
    `| latency p50 / p99 / max | ${r.latencyMs.p50} / ${r.latencyMs.p99} / ${r.latencyMs.max} ms |`,
    `| RSS start / end / max | ${r.rssMb.start} / ${r.rssMb.end} / ${r.rssMb.max} MB |`,
    `| state budget | ${r.budgetMb} MiB; RSS max under start + budget: ${r.underBudget ? "yes" : "NO"} |`,
    `| answers outside each kind's expected statuses | ${r.unexpected} |`,
    `| exit code after SIGTERM | ${r.exitCodeAfterSigterm} |`,
    "",
    "| request kind | expected | answers |",
    "|---|---|---|",
    ...rows,
    "",
    `RSS by second (MB): ${r.samples.map((s) => s.rssMb).join(" ")}`,
    "",
  ].join("\n");
}

const results = await soak();
writeFileSync(join(outDir, "soak-results.json"), `${JSON.stringify(results, null, 2)}\n`);
const md = markdown(results);
writeFileSync(join(outDir, "soak-results.md"), md);
process.stdout.write(md);
// RSS over start + budget is reported, not failed: V8 keeps heap headroom above what is live.
const failed =
  results.count5xx > 0 || results.errors > 0 || results.exitCodeAfterSigterm !== 0 || results.unexpected > 0;
if (failed) log("FAILED: 5xx answers, connection errors, unexpected answers or an unclean exit (see above)");
process.exitCode = failed ? 1 : 0;
