import { assertNotes, loadSpec, type SpecModel } from "../openapi/index.js";
import { SchemaEngine } from "../schema/index.js";
import { buildCases, type Credentials } from "./cases/index.js";
import { ALL_CHECKS } from "./checks/index.js";
import { type ContractEvent, EventLog, type Listener, type RunInfo, type Summary } from "./events.js";
import { type CaseOutcome, type CaseRunContext, runCase } from "./run-case.js";
import { httpTransport } from "./transports/http.js";
import { type FetchHandler, inProcessTransport } from "./transports/in-process.js";
import type { Transport } from "./transports/transport.js";
import { type Case, PHASES, type Phase, type TokenKeys } from "./types.js";

export interface ContractOptions {
  /** A loaded spec or the path of one. */
  spec: SpecModel | string;
  /** Base URL of the service (path prefix included), for HTTP. */
  target?: string;
  /** Or a `fetch(request)` handler to call in-process. */
  fetch?: FetchHandler;
  /** Or any transport. */
  transport?: Transport;
  /** Credential per security scheme name, sent as the header (or query) value. */
  auth?: Credentials;
  tokenKeys?: TokenKeys;
  /** Check ids; all when absent. */
  checks?: string[];
  phases?: Phase[];
  /** operationIds; all when absent. */
  operations?: string[];
  seed?: number;
  /** Cases per operation and phase. */
  maxCases?: number;
  concurrency?: number;
  timeoutMs?: number;
  /** Listeners attached before the first event. */
  listeners?: Listener[];
}

export interface ContractRun {
  /** Every event, replayed from the first for each reader. */
  events: AsyncIterable<ContractEvent>;
  on: (listener: Listener) => () => void;
  /** Resolves when every case has run; rejects when the spec or the target is unusable. */
  summary: Promise<Summary>;
}

/** A usage problem with the options (unknown check, operation or phase): exit 2 in the CLI. */
export class ContractOptionsError extends Error {
  override readonly name = "ContractOptionsError";
}

function transportOf(o: ContractOptions): Transport {
  if (o.transport) return o.transport;
  if (o.fetch) return inProcessTransport(o.fetch, o.target);
  if (o.target) return httpTransport(o.target, { timeoutMs: o.timeoutMs ?? 10_000 });
  throw new ContractOptionsError("give a target URL, a fetch handler or a transport");
}

function selected<T extends { id: string }>(all: readonly T[], ids: string[] | undefined, what: string): T[] {
  if (!ids) return [...all];
  const unknown = ids.filter((id) => !all.some((x) => x.id === id));
  if (unknown.length)
    throw new ContractOptionsError(
      `unknown ${what} ${unknown.join(", ")}; known: ${all.map((x) => x.id).join(", ")}`,
    );
  return all.filter((x) => ids.includes(x.id));
}

const randomSeed = () => Math.floor(Math.random() * 2 ** 31);

function emptySummary(info: RunInfo, cases: number): Summary {
  return {
    seed: info.seed,
    baseUrl: info.baseUrl,
    cases,
    passedCases: 0,
    failedCases: 0,
    failures: [],
    table: {},
    durationMs: 0,
    casesPerSecond: 0,
  };
}

function tally(summary: Summary, outcome: CaseOutcome): void {
  for (const r of outcome.results) {
    const opId = outcome.exchanges[r.step]?.operationId ?? "";
    const row = summary.table[opId] ?? {};
    const cell = row[r.check] ?? { passed: 0, failed: 0, skipped: 0 };
    cell[r.status]++;
    row[r.check] = cell;
    summary.table[opId] = row;
  }
  summary.failures.push(...outcome.failures);
  if (outcome.failures.length) summary.failedCases++;
  else summary.passedCases++;
}

async function execute(o: ContractOptions, log: EventLog): Promise<Summary> {
  const spec = typeof o.spec === "string" ? await loadSpec(o.spec) : o.spec;
  // A model built by hand (normaliseDocument) has not been through loadSpec's note check.
  if (typeof o.spec !== "string") assertNotes(spec.document, spec.source);
  const operations = selected(spec.operations, o.operations, "operation");
  const checks = selected(ALL_CHECKS, o.checks, "check");
  const phases = o.phases ?? [...PHASES];
  const badPhase = phases.find((p) => !PHASES.includes(p));
  if (badPhase) throw new ContractOptionsError(`unknown phase ${badPhase}; known: ${PHASES.join(", ")}`);
  const transport = transportOf(o);
  await transport.probe?.();
  const seed = o.seed ?? randomSeed();
  const engine = new SchemaEngine(spec.document, { id: `contract-${seed}-${spec.source}` });
  const credentials = o.auth ?? {};
  const cases = buildCases(
    { spec, engine, seed, maxCases: o.maxCases ?? 50, credentials },
    phases,
    operations,
  );
  const info: RunInfo = {
    seed,
    spec: { title: spec.title, version: spec.version, source: spec.source },
    baseUrl: transport.baseUrl,
    phases,
    checks: checks.map((c) => c.id),
    operations: operations.map((op) => op.id),
    maxCases: o.maxCases ?? 50,
    concurrency: o.concurrency ?? 8,
    timeoutMs: o.timeoutMs ?? 10_000,
    authSchemes: Object.keys(credentials),
    tokenKeys: Object.keys(o.tokenKeys ?? {}),
  };
  log.emit({ type: "run-started", cases: cases.length, ...info });
  const rc: CaseRunContext = {
    spec,
    engine,
    operations: new Map(spec.operations.map((op) => [op.id, op])),
    checks,
    tokenKeys: o.tokenKeys ?? {},
    send: (request) => transport.send(request),
  };
  const summary = emptySummary(info, cases.length);
  const started = performance.now();
  await pool(cases, info.concurrency, async (c) => {
    const first = c.steps[0]?.request;
    log.emit({
      type: "case-started",
      caseId: c.id,
      operationId: c.operationId,
      origin: c.origin,
      ...(typeof first === "object" ? { request: first } : {}),
    });
    const t = performance.now();
    const outcome = await runCase(rc, c);
    tally(summary, outcome);
    log.emit({
      type: "case-finished",
      caseId: c.id,
      operationId: c.operationId,
      origin: c.origin,
      ...outcome,
      durationMs: performance.now() - t,
    });
  });
  summary.durationMs = performance.now() - started;
  summary.casesPerSecond = summary.durationMs > 0 ? (cases.length * 1000) / summary.durationMs : 0;
  log.emit({ type: "run-finished", summary });
  return summary;
}

/** Runs `work` over `items` with at most `limit` in flight; order of starts follows the items. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

/**
 * Runs the contract of a spec against a service. Events start on the next turn of the event
 * loop, so listeners attached right after the call hear the first one.
 */
export function runContract(options: ContractOptions): ContractRun {
  const log = new EventLog();
  for (const l of options.listeners ?? []) log.on(l);
  const summary = new Promise<void>((resolve) => setImmediate(resolve)).then(() => execute(options, log));
  summary.then(
    () => log.close(),
    (error: unknown) => log.close(error),
  );
  return { events: log, on: (l) => log.on(l), summary };
}

export type { Case };
