import type { JoseFloor } from "./jose-floor.js";
import type { StartupResult } from "./startup.js";
import type { ThroughputResult } from "./throughput.js";

export interface ContractRate {
  provider: string;
  transport: "in-process" | "http";
  /** Cases per operation and phase (50 is embedkit test's default). */
  maxCases: number;
  cases: number;
  seconds: number;
  casesPerSecond: number;
  failures: number;
}

export interface MemoryResult {
  store: string;
  sessions: number;
  externalUsers: number;
  baselineRssMb: number;
  rssMb: number;
  /** Bytes of live state, beside RSS, so growth that is not state shows. */
  liveStateBytes: number;
  liveStateHow: string;
}

/** One store's Cube figures: generate-session and exchange, same scenarios as above. */
export interface StoreRow {
  store: string;
  generate: ThroughputResult;
  exchange: ThroughputResult;
}

export interface BenchResults {
  date: string;
  node: string;
  cpus: number;
  cpuModel: string;
  commit: string;
  mode: "full" | "smoke";
  settings: { connections: number; durationSeconds: number; startupRuns: number };
  startup: StartupResult[];
  generateSession: ThroughputResult[];
  exchange: ThroughputResult[];
  minting: { explo: ThroughputResult[]; toucan: ThroughputResult[]; joseFloor: JoseFloor };
  contract: ContractRate[];
  memory?: MemoryResult[];
  stores?: StoreRow[];
  ratios: Record<string, number>;
}

const n0 = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString("en-US") : "n/a");
const n1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : "n/a");
const n2 = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : "n/a");

/** A run with unexpected answers is flagged, never averaged in: its rate counts only what was expected. */
const flag = (r: ThroughputResult) =>
  r.flagged
    ? ` ⚠ ${n0(r.non2xx + r.errors + r.timeouts)} unexpected (all answers: ${n0(r.allPerSecond)}/s)`
    : "";

function storeTable(rows: StoreRow[]): string[] {
  return [
    "| store | generate-session/s | p99 ms | exchange/s | p99 ms | peak RSS MB (all processes) |",
    "|---|---:|---:|---:|---:|---:|",
    ...rows.map(
      (s) =>
        `| ${s.store} | ${n0(s.generate.requestsPerSecond)}${flag(s.generate)} | ${s.generate.p99Ms} | ${n0(s.exchange.requestsPerSecond)}${flag(s.exchange)} | ${s.exchange.p99Ms} | ${n1(Math.max(s.generate.peakRssMb, s.exchange.peakRssMb))} |`,
    ),
  ];
}

function loadTable(rows: ThroughputResult[]): string[] {
  return [
    "| server | expected answers/s | p50 ms | p99 ms | requests | errors | non-2xx | peak RSS MB |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
    ...rows.map(
      (r) =>
        `| ${r.target} | ${n0(r.requestsPerSecond)}${flag(r)} | ${r.p50Ms} | ${r.p99Ms} | ${n0(r.total)} | ${r.errors + r.timeouts} | ${r.non2xx} | ${n1(r.peakRssMb)} |`,
    ),
  ];
}

export function toMarkdown(r: BenchResults): string {
  const lines = [
    "# embedkit benchmark results",
    "",
    `Written by \`npm run bench\` on ${r.date}: Node ${r.node}, ${r.cpus} CPU(s) (${r.cpuModel}), commit ${r.commit}, ${r.mode} mode.`,
    `Load: autocannon, ${r.settings.connections} connections, ${r.settings.durationSeconds} s per run, on 127.0.0.1; the load generator shares the machine with the server.`,
    "",
    "## Start-up (spawn → first successful generate-session)",
    "",
    "| server | median ms | min ms | max ms | runs |",
    "|---|---:|---:|---:|---|",
    ...r.startup.map(
      (s) =>
        `| ${s.target} | ${n0(s.medianMs)} | ${n0(s.minMs)} | ${n0(s.maxMs)} | ${s.runs.map(n0).join(", ")} |`,
    ),
    "",
    "## Cube generate-session (valid request with credentials)",
    "",
    "Only expected answers (2xx) count in a rate; a run with any other answer is flagged ⚠. embedkit runs with `maxActiveSessions` raised to 5,000,000 (the default 250,000 would refuse part of a 10 s run with 429).",
    "",
    ...loadTable(r.generateSession),
    "",
    "## Cube session/token exchange (a fresh session per request, created before the timed window)",
    "",
    "The floor takes the session out of a Map and signs the token with jose: the same HTTP and crypto work, nothing else.",
    "",
    ...loadTable(r.exchange),
    "",
    "## Token minting (Explo JWE, Toucan JWE)",
    "",
    "Explo's 180/min rate limit is switched off for this run (`--no-rate-limit`); everything else stays on.",
    "",
    ...loadTable([...r.minting.explo, ...r.minting.toucan]),
    "",
    `jose alone in one process (the crypto floor): HS256 JWS ${n0(r.minting.joseFloor.jwsHs256PerSecond)}/s, dir+A256GCM JWE ${n0(r.minting.joseFloor.jweDirA256gcmPerSecond)}/s.`,
    "",
    "## Contract engine against the emulator (every phase and check; 50 per phase is the default run)",
    "",
    "| provider | transport | per phase | cases | seconds | cases/s | failures |",
    "|---|---|---:|---:|---:|---:|---:|",
    ...r.contract.map(
      (c) =>
        `| ${c.provider} | ${c.transport} | ${c.maxCases} | ${c.cases} | ${n2(c.seconds)} | ${n0(c.casesPerSecond)} | ${c.failures} |`,
    ),
    "",
  ];
  if (r.stores) {
    lines.push(
      "## State store: memory vs Redis (Cube, same scenarios; Redis is a local redis-server, no persistence)",
      "",
      ...storeTable(r.stores),
      "",
    );
  }
  if (r.memory) {
    lines.push(
      "## Memory at scale (`embedkit mock cube` filled over HTTP, RSS beside the bytes of state it holds)",
      "",
      "| store | live sessions | external users | RSS MB | RSS after start-up MB | live state MB | how the state was measured |",
      "|---|---:|---:|---:|---:|---:|---|",
      ...r.memory.map(
        (m) =>
          `| ${m.store} | ${n0(m.sessions)} | ${n0(m.externalUsers)} | ${n1(m.rssMb)} | ${n1(m.baselineRssMb)} | ${n1(m.liveStateBytes / 1048576)} | ${m.liveStateHow} |`,
      ),
      "",
    );
  }
  lines.push("## Ratios (same run)", "", "| ratio | value |", "|---|---:|");
  for (const [k, v] of Object.entries(r.ratios)) lines.push(`| ${k} | ${n2(v)} |`);
  lines.push("");
  return lines.join("\n");
}
