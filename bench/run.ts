/**
 * `npm run bench`: every figure the README quotes, measured side by side in one run, written to
 * bench/results.md and bench/results.json.  `--smoke` runs each part once, briefly, to keep the
 * script from rotting (npm test does that); its figures mean nothing.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { packageRoot } from "../src/openapi/index.js";
import { measureContract } from "./contract-rate.js";
import { measureJoseFloor } from "./jose-floor.js";
import { targetsFor } from "./lib/targets.js";
import { measureMemory } from "./memory.js";
import { type BenchResults, toMarkdown } from "./report.js";
import {
  CUBE_AUTH,
  cubePath,
  EXPLO_AUTH,
  exchangeSession,
  GENERATE_JWT_BODY,
  GENERATE_SESSION_BODY,
  GENERATE_TOKEN_BODY,
  generateSession,
  mint,
  ok,
  TOUCAN_AUTH,
} from "./scenarios.js";
import { measureStartup } from "./startup.js";
import { measureStores } from "./stores.js";
import { measureThroughput, type ThroughputResult } from "./throughput.js";

const { values } = parseArgs({
  options: {
    smoke: { type: "boolean", default: false },
    out: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  console.log(
    "usage: npm run bench [-- --smoke] [-- --out <dir>]\n  --smoke  one short pass of everything (figures meaningless)\n  --out    where results.md/json go (default bench/)",
  );
  process.exit(0);
}
const smoke = values.smoke;
const root = packageRoot();
const outDir = values.out ?? join(root, "bench");
// Made now, so a folder that cannot be made fails in a second, not after twenty minutes of runs.
mkdirSync(outDir, { recursive: true });
const connections = smoke ? 4 : 50;
const duration = smoke ? 1 : 10;
const startupRuns = smoke ? 1 : 5;

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

function commit(): string {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}

log("building the CLI (npm run build)");
execFileSync("npm", ["run", "-s", "build"], { cwd: root, stdio: "inherit" });

const cube = targetsFor("cube");
const startupProbe = (target: { name: string }) => (port: number) =>
  ok(
    `http://127.0.0.1:${port}${cubePath("/v1/embed/generate-session")(target)}`,
    CUBE_AUTH,
    GENERATE_SESSION_BODY,
  );

log(`start-up, ${startupRuns} run(s) each`);
const startup = [
  await measureStartup(cube.embedkit, startupRuns, startupProbe(cube.embedkit)),
  await measureStartup(cube.prism, startupRuns, startupProbe(cube.prism)),
];

log(
  `generate-session: ${connections} connections × ${duration} s against floor, embedkit, Prism, Prism silent`,
);
const scenario = generateSession(connections, duration);
const generate: ThroughputResult[] = [];
for (const t of [cube.floor, cube.embedkit, cube.prism, cube["prism-silent"]]) {
  log(`  ${t.label}`);
  generate.push(await measureThroughput(t, scenario));
}

const exchangeAmount = smoke ? 200 : 100_000;
log(`session/token exchange: ${exchangeAmount} fresh sessions`);
const exchangeFloor = { ...cube.floor, label: "node:http + Map + jose HS256 (floor)" };
const exchange = [
  await measureThroughput(exchangeFloor, exchangeSession(connections, exchangeAmount)),
  await measureThroughput(cube.embedkit, exchangeSession(connections, exchangeAmount)),
];

log("token minting: Explo and Toucan, and jose alone");
const explo = targetsFor("explo", ["--no-rate-limit"]);
const toucan = targetsFor("toucan");
const minting = {
  explo: [
    await measureThroughput(
      explo.embedkit,
      mint("/api/generate_jwt/", EXPLO_AUTH, GENERATE_JWT_BODY, connections, duration),
    ),
  ],
  toucan: [
    await measureThroughput(
      toucan.embedkit,
      mint("/embed/generate-token", TOUCAN_AUTH, GENERATE_TOKEN_BODY, connections, duration),
    ),
  ],
  joseFloor: await measureJoseFloor(smoke ? 0.2 : 3),
};

log("contract engine: full default run per provider, in-process and over HTTP");
const contract = await measureContract(smoke);

log(smoke ? "memory: 1,000 sessions, 100 users" : "memory: 100,000 sessions, 10,000 external users");
const memory = [await measureMemory(smoke ? 1_000 : 100_000, smoke ? 100 : 10_000)];

log("state store: memory, Redis and Redis with --workers 2 (generate-session and exchange)");
const stores = await measureStores(
  connections,
  duration,
  exchangeAmount,
  smoke ? 1_000 : 100_000,
  smoke ? 100 : 10_000,
  log,
);
memory.push(stores.redisMemory);
const storeRate = (i: number, what: "generate" | "exchange") =>
  stores.rows[i]?.[what].requestsPerSecond ?? Number.NaN;

const rps = (rows: typeof generate, i: number) => rows[i]?.requestsPerSecond ?? Number.NaN;
const results: BenchResults = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? "unknown",
  commit: commit(),
  mode: smoke ? "smoke" : "full",
  settings: { connections, durationSeconds: duration, startupRuns },
  startup,
  generateSession: generate,
  exchange,
  minting,
  contract,
  memory,
  stores: stores.rows,
  ratios: {
    "generate-session: embedkit / floor (target ≥ 0.8)": rps(generate, 1) / rps(generate, 0),
    "generate-session: embedkit / Prism default logging": rps(generate, 1) / rps(generate, 2),
    "generate-session: embedkit / Prism silent": rps(generate, 1) / rps(generate, 3),
    "start-up: Prism / embedkit (median)":
      (startup[1]?.medianMs ?? Number.NaN) / (startup[0]?.medianMs ?? Number.NaN),
    "Explo mint: embedkit / jose JWE alone":
      (minting.explo[0]?.requestsPerSecond ?? Number.NaN) / minting.joseFloor.jweDirA256gcmPerSecond,
    "Toucan mint: embedkit / jose JWE alone":
      (minting.toucan[0]?.requestsPerSecond ?? Number.NaN) / minting.joseFloor.jweDirA256gcmPerSecond,
    "Cube exchange: embedkit / floor (target ≥ 0.8)": rps(exchange, 1) / rps(exchange, 0),
    "Cube exchange: embedkit / jose JWS alone, in-process (no HTTP)":
      rps(exchange, 1) / minting.joseFloor.jwsHs256PerSecond,
    "Cube exchange: floor / jose JWS alone, in-process (what HTTP costs on this machine)":
      rps(exchange, 0) / minting.joseFloor.jwsHs256PerSecond,
    "generate-session: Redis / memory (the network hop)": storeRate(1, "generate") / storeRate(0, "generate"),
    "exchange: Redis / memory (the network hop)": storeRate(1, "exchange") / storeRate(0, "exchange"),
    "generate-session: Redis --workers 2 / Redis": storeRate(2, "generate") / storeRate(1, "generate"),
    "exchange: Redis --workers 2 / Redis": storeRate(2, "exchange") / storeRate(1, "exchange"),
    "generate-session: Redis / Prism default logging (target ≥ 10)":
      storeRate(1, "generate") / rps(generate, 2),
    "generate-session: Redis / Prism silent": storeRate(1, "generate") / rps(generate, 3),
  },
};

writeFileSync(join(outDir, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(join(outDir, "results.md"), toMarkdown(results));
log(`wrote ${join(outDir, "results.md")} and results.json`);
console.log(toMarkdown(results));
