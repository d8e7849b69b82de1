import {
  assertNotes,
  isProviderId,
  loadSpec,
  type Operation,
  type ProviderId,
  providerInfo,
  type SpecModel,
  specPath,
} from "../openapi/index.js";
import { SchemaEngine } from "../schema/index.js";
import { buildCases, type Credentials } from "./cases/index.js";
import type { TestData } from "./cases/test-data.js";
import { ALL_CHECKS } from "./checks/index.js";
import { CoverageCollector } from "./coverage.js";
import { type ContractEvent, EventLog, type Listener, type RunInfo, type Summary } from "./events.js";
import { filterOperations } from "./filters.js";
import { judgeRun, notExercised } from "./judge-run.js";
import { type RetryOptions, retryingSend } from "./retry.js";
import { type CaseOutcome, type CaseRunContext, runCase } from "./run-case.js";
import { closingNotes, credentialWarning, uncredentialed } from "./run-notes.js";
import { RunState } from "./run-state.js";
import { shrinkCase } from "./shrink.js";
import { httpTransport } from "./transports/http.js";
import { type FetchHandler, inProcessTransport } from "./transports/in-process.js";
import type { Transport } from "./transports/transport.js";
import { type Case, PHASES, type Phase, type TokenKeys } from "./types.js";

export interface ContractOptions {
  /** A loaded spec or the path of one; or leave it out and name a built-in `provider`. */
  spec?: SpecModel | string;
  /** A built-in provider: its shipped spec, and its base path for an in-process `fetch`. */
  provider?: ProviderId;
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
  /** Only operations with one of these tags. */
  tags?: string[];
  /** Only operations whose path template matches one of these globs (`/notes/*`). */
  paths?: string[];
  excludeDeprecated?: boolean;
  /** Wall time to shrink one failing generated case to its smallest form; 0 turns shrinking off. */
  shrinkMs?: number;
  seed?: number;
  /** Cases per operation and phase. */
  maxCases?: number;
  concurrency?: number;
  timeoutMs?: number;
  /** Listeners attached before the first event. */
  listeners?: Listener[];
  /** Headers sent with every request (`-H`), beside the credentials. */
  headers?: Record<string, string>;
  /** Values to build valid requests from, before the spec's examples and random values. */
  data?: TestData;
  /** Stop at the first failure. */
  failFast?: boolean;
  /** Aborting stops the run after the cases in flight; the summary says it was interrupted. */
  signal?: AbortSignal;
  /** Waiting on a 429's Retry-After; `{maxWaitMs: 0}` turns it off. */
  retry?: Partial<RetryOptions>;
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
  const base = o.provider ? `http://embedkit.invalid${providerInfo(o.provider).basePath}` : undefined;
  if (o.fetch) return inProcessTransport(o.fetch, o.target ?? base);
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
    casesRun: 0,
    passedCases: 0,
    failedCases: 0,
    failures: [],
    table: {},
    durationMs: 0,
    casesPerSecond: 0,
    notExercised: [],
    notAuthenticated: 0,
    notes: [],
    retries: { count: 0, waitedMs: 0 },
  };
}

async function specOf(o: ContractOptions): Promise<SpecModel> {
  if (o.spec === undefined) {
    if (!o.provider || !isProviderId(o.provider))
      throw new ContractOptionsError("give a spec (a path or a loaded one) or a built-in provider");
    return loadSpec(specPath(o.provider));
  }
  if (typeof o.spec === "string") return loadSpec(o.spec);
  // A model built by hand (normaliseDocument) has not been through loadSpec's note check.
  assertNotes(o.spec.document, o.spec.source);
  return o.spec;
}

interface Prepared {
  spec: SpecModel;
  info: RunInfo;
  cases: Case[];
  rc: CaseRunContext;
  state: RunState;
}

async function prepare(o: ContractOptions, log: EventLog): Promise<Prepared> {
  const spec = await specOf(o);
  const operations = filterOperations(selected(spec.operations, o.operations, "operation"), {
    ...(o.tags ? { tags: o.tags } : {}),
    ...(o.paths ? { paths: o.paths } : {}),
    ...(o.excludeDeprecated ? { excludeDeprecated: true } : {}),
  });
  if (operations.length === 0) throw new ContractOptionsError("no operation of the spec matches the filters");
  const checks = selected(ALL_CHECKS, o.checks, "check");
  const phases = o.phases ?? [...PHASES];
  const badPhase = phases.find((p) => !PHASES.includes(p));
  if (badPhase) throw new ContractOptionsError(`unknown phase ${badPhase}; known: ${PHASES.join(", ")}`);
  const transport = transportOf(o);
  await transport.probe?.();
  const seed = o.seed ?? randomSeed();
  const engine = new SchemaEngine(spec.document, { id: `contract-${seed}-${spec.source}` });
  const credentials: Credentials = o.auth ?? {};
  const missing = uncredentialed(operations, credentials);
  const warning = credentialWarning(missing, operations);
  const maxCases = o.maxCases ?? 50;
  const source = {
    spec,
    engine,
    seed,
    maxCases,
    credentials,
    headers: o.headers ?? {},
    ...(o.data ? { data: o.data } : {}),
  };
  const cases = buildCases(source, phases, operations);
  const info: RunInfo = {
    seed,
    spec: { title: spec.title, version: spec.version, source: spec.source },
    baseUrl: transport.baseUrl,
    phases,
    checks: checks.map((c) => c.id),
    operations: operations.map((op) => op.id),
    maxCases,
    concurrency: o.concurrency ?? 8,
    timeoutMs: o.timeoutMs ?? 10_000,
    authSchemes: Object.keys(credentials),
    tokenKeys: Object.keys(o.tokenKeys ?? {}),
    warnings: warning ? [warning] : [],
  };
  const opsById = new Map(spec.operations.map((op) => [op.id, op]));
  const state = new RunState(emptySummary(info, cases.length), opsById, credentials, o.failFast === true);
  const rc: CaseRunContext = {
    spec,
    engine,
    operations: opsById,
    checks,
    tokenKeys: o.tokenKeys ?? {},
    uncredentialed: missing,
    send: retryingSend(transport, o.retry, state.summary.retries, {
      stopped: () => state.stopped !== undefined,
      ...(o.signal ? { signal: o.signal } : {}),
      onRetry: (request, waitMs, attempt) =>
        log.emit({ type: "retry", operationId: operationOf(opsById, request), waitMs, attempt }),
    }),
  };
  return { spec, info, cases, rc, state };
}

const operationOf = (ops: Map<string, Operation>, request: { method: string; path: string }) =>
  [...ops.values()].find(
    (op) => op.method.toUpperCase() === request.method && request.path.split("?")[0] === op.path,
  )?.id ?? `${request.method} ${request.path}`;

async function execute(o: ContractOptions, log: EventLog): Promise<Summary> {
  const { spec, info, cases, rc, state } = await prepare(o, log);
  const { summary } = state;
  log.emit({ type: "run-started", cases: cases.length, ...info });
  const onAbort = () =>
    state.stop({
      kind: "interrupted",
      message: "interrupted: the cases in flight finished, the rest did not run",
    });
  if (o.signal?.aborted) onAbort();
  o.signal?.addEventListener("abort", onAbort, { once: true });
  const operations = spec.operations.filter((op) => info.operations.includes(op.id));
  const coverage = new CoverageCollector(operations, spec.document);
  const shrinkMs = o.shrinkMs ?? 2000;
  const started = performance.now();
  await pool(
    cases,
    info.concurrency,
    () => state.stopped !== undefined,
    async (c) => {
      const first = c.steps[0]?.request;
      log.emit({
        type: "case-started",
        caseId: c.id,
        operationId: c.operationId,
        origin: c.origin,
        ...(typeof first === "object" ? { request: first } : {}),
      });
      const t = performance.now();
      // Shrinking only while the run goes on: a stopped run reports what it has, at once.
      const outcome = await runAndShrink(rc, c, state.stopped ? 0 : shrinkMs);
      coverage.add(outcome.exchanges);
      summary.casesRun++;
      state.tally(c, outcome);
      log.emit({
        type: "case-finished",
        caseId: c.id,
        operationId: c.operationId,
        origin: c.origin,
        ...outcome,
        durationMs: performance.now() - t,
      });
    },
  );
  o.signal?.removeEventListener("abort", onAbort);
  summary.durationMs = performance.now() - started;
  summary.casesPerSecond = summary.durationMs > 0 ? (summary.casesRun * 1000) / summary.durationMs : 0;
  summary.coverage = coverage.result();
  // A run cut short proves nothing about what it did not reach: judge only a complete one.
  if (!state.stopped)
    judgeRun(
      rc.checks,
      state.observations({ spec, operations, checks: info.checks, phases: info.phases }),
      summary,
    );
  summary.notExercised = notExercised(info.checks, operations, state);
  if (state.stopped) summary.stopped = state.stopped;
  summary.notes = closingNotes({
    operations,
    unknownFormats: rc.engine.unknownFormats,
    notAuthenticated: summary.notAuthenticated,
  });
  log.emit({ type: "run-finished", summary });
  return summary;
}

/**
 * Runs a case; when a generated one fails, shrinks it within `ms` and reports the smallest
 * request that still fails the same check (its curl line is the minimal case).
 */
async function runAndShrink(rc: CaseRunContext, c: Case, ms: number): Promise<CaseOutcome> {
  const outcome = await runCase(rc, c);
  if (!outcome.failures.length || !c.shrink || ms <= 0) return outcome;
  const shrunk = await shrinkCase(rc, c, outcome, runCase, { ms, attempts: 200 });
  if (!shrunk) return outcome;
  const detail = `${c.origin.detail}, shrunk in ${shrunk.steps} step(s)`;
  for (const f of shrunk.outcome.failures) f.origin = { ...f.origin, detail };
  return shrunk.outcome;
}

/** Runs `work` over `items` with at most `limit` in flight, starting none once `stop()` is true. */
async function pool<T>(
  items: readonly T[],
  limit: number,
  stop: () => boolean,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !stop()) await work(items[next++] as T);
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
