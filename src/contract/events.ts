import type { OperationCoverage } from "./coverage.js";
import type { CaseOrigin, CheckResult, CheckStatus, Exchange, Failure, Phase, WireRequest } from "./types.js";

/** What a run was asked to do, without secrets: enough, with the spec, to generate the same cases. */
export interface RunInfo {
  seed: number;
  spec: { title: string; version: string; source: string };
  baseUrl: string;
  phases: Phase[];
  checks: string[];
  operations: string[];
  maxCases: number;
  concurrency: number;
  timeoutMs: number;
  /** Security scheme names a credential was given for (never the credential). */
  authSchemes: string[];
  /** Names of the token keys given (never the keys). */
  tokenKeys: string[];
  /** Said before the first case: e.g. secured operations that will run without a credential. */
  warnings: string[];
}

export type CheckTally = Record<CheckStatus, number>;

/**
 * Why a run ended before its last case: Ctrl-C, a credential the target refuses, a target that
 * stopped answering, or --fail-fast. The CLI turns each into its exit code (see cli/exit-codes.ts).
 */
export interface StopReason {
  kind: "interrupted" | "credential-refused" | "target-down" | "fail-fast";
  message: string;
}

/** A check that ran on no request of an operation, and why. */
export interface NotExercised {
  check: string;
  operationIds: string[];
  reason: string;
}

export interface Summary {
  seed: number;
  baseUrl: string;
  cases: number;
  passedCases: number;
  failedCases: number;
  failures: Failure[];
  /** operationId → check id → counts over every request sent to that operation. */
  table: Record<string, Record<string, CheckTally>>;
  durationMs: number;
  casesPerSecond: number;
  /** Cases that ran (fewer than `cases` when the run stopped early). */
  casesRun: number;
  stopped?: StopReason;
  /** Checks that never ran on an operation, grouped by reason. */
  notExercised: NotExercised[];
  /** Requests re-sent after a 429 with Retry-After, and the time waited. */
  retries: { count: number; waitedMs: number };
  /** 401/403 answers of operations run without the credential they need: not judged. */
  notAuthenticated: number;
  /** Per operation: statuses seen and not, parameters and body fields exercised. */
  coverage?: Record<string, OperationCoverage>;
  /** What the run could not judge (unknown formats, XML bodies…), each once, in plain words. */
  notes: string[];
}

export type ContractEvent =
  | ({ type: "run-started"; cases: number } & RunInfo)
  | {
      type: "case-started";
      caseId: string;
      operationId: string;
      origin: CaseOrigin;
      /** The first request, as generated from the seed (later steps depend on responses). */
      request?: WireRequest;
    }
  | {
      type: "case-finished";
      caseId: string;
      operationId: string;
      origin: CaseOrigin;
      exchanges: Exchange[];
      results: CheckResult[];
      failures: Failure[];
      durationMs: number;
    }
  | { type: "retry"; operationId: string; waitMs: number; attempt: number }
  | { type: "run-finished"; summary: Summary };

export type Listener = (event: ContractEvent) => void;

/**
 * Every event of one run, kept from the first: listeners hear them as they happen, and each async
 * iterator replays from the start, so a late reader misses nothing.
 */
export class EventLog implements AsyncIterable<ContractEvent> {
  readonly #events: ContractEvent[] = [];
  readonly #listeners = new Set<Listener>();
  #wake: Array<() => void> = [];
  #done = false;
  #error: unknown;

  on(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: ContractEvent): void {
    this.#events.push(event);
    for (const l of this.#listeners) l(event);
    this.#flush();
  }

  close(error?: unknown): void {
    this.#done = true;
    this.#error = error;
    this.#flush();
  }

  #flush(): void {
    const wake = this.#wake;
    this.#wake = [];
    for (const w of wake) w();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ContractEvent> {
    let i = 0;
    for (;;) {
      while (i < this.#events.length) yield this.#events[i++] as ContractEvent;
      if (this.#done) {
        if (this.#error !== undefined) throw this.#error;
        return;
      }
      await new Promise<void>((resolve) => this.#wake.push(resolve));
    }
  }
}
