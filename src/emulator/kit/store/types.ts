/**
 * The one state interface every provider's logic is written against, once: memory (the embedded
 * default) and Redis (replicas that share state) implement it. Everything that decides an answer —
 * sessions, users and their limit, revocations, rate-limit windows, faults, the clock offset — goes
 * through it, so two replicas on one Redis answer as one emulator would.
 */

/** A JSON object held by a store. Numbers stay below 2^53 and within 14 significant digits. */
export type StoredRecord = Record<string, unknown>;

/** A fault injected through `POST /__embedkit/faults`: answer `status` instead of running the handler. */
export interface Fault {
  operationId: string;
  status: number;
  delayMs: number;
  /** 0..1; each matching request draws once. */
  probability: number;
  /** How many more times it may fire; undefined = until cleared. */
  count?: number;
}

/** What one round trip decides before a request runs. */
export interface AdmitQuery {
  operationId: string;
  /** The process's own clock (without the shared offset), epoch ms. */
  baseNow: number;
  /** A draw in [0, 1) against a fault's probability. */
  random: number;
  /** A fixed window per client, measured on the emulator's clock; absent when rate limiting is off. */
  rate?: { client: string; limit: number; windowMs: number };
}

export interface Admission {
  /** The clock offset every replica shares (ms added to the base clock). */
  offsetMs: number;
  /** The fault that fires for this request (one of its count spent), if any. */
  fault?: Fault;
  /** Seconds until the client's window has room again; undefined when the request is allowed. */
  retryAfter?: number;
}

export type UpsertOutcome = "created" | "updated" | "full";

/**
 * What a record costs in the state budget beyond its JSON (in UTF-8): the map slot or the Redis
 * keys, the object and its bookkeeping. Both stores count a record the same way.
 */
export const RECORD_OVERHEAD_BYTES = 256;

/** Limits of one provider's share of a store. */
export interface StoreOptions {
  /**
   * Bytes the provider's records may hold, every collection together (the spec's
   * `x-embedkit-state-budget` less the journal's share). With Redis the count lives in Redis, so it
   * bounds what every replica on that prefix holds together. Absent: unbounded.
   */
  budgetBytes?: number;
}

/**
 * A named set of records of one provider (sessions, users, revocations…). Every record is counted in
 * bytes in the store's budget: `insert`, `put` and `upsert` throw StateBudgetFullError (and change
 * nothing) when what they add would pass it; removing, taking or expiring a record gives its bytes back.
 */
export interface Collection {
  /**
   * Adds a record that lives until `expiresAt` on the emulator's clock, unless `cap` live records
   * are already held (then false). Expired records are dropped first, so the count is exact.
   */
  insert(
    id: string,
    record: StoredRecord,
    at: { now: number; expiresAt: number; cap?: number },
  ): Promise<boolean>;
  /** Removes and returns the record in one atomic step: however many callers race, one gets it. */
  take(id: string): Promise<StoredRecord | undefined>;
  get(id: string): Promise<StoredRecord | undefined>;
  /** Stores (or replaces) a record; true when the id was not held before. */
  put(id: string, record: StoredRecord, at: { now: number; expiresAt?: number }): Promise<boolean>;
  remove(id: string): Promise<void>;
  /**
   * Creates the record when absent and fewer than `cap` are held (exact under concurrent callers,
   * across replicas), else updates it: `set` fields replace, `incr` fields are added to.
   */
  upsert(
    id: string,
    change: { create: StoredRecord; set: StoredRecord; incr: Record<string, number> },
    at: { now: number; cap: number },
  ): Promise<UpsertOutcome>;
  /** Live records (expired ones are dropped first). */
  count(now: number): Promise<number>;
  /** The `n` most recently added records, oldest first. */
  latest(n: number): Promise<StoredRecord[]>;
  /** Drops expired records, so memory stays bounded on a server left running for days. */
  sweep(now: number): Promise<void>;
}

/** Monotonic counters shown by `/__embedkit/state`; they never decide an answer. */
export interface Counters {
  /** Fire and forget: not awaited on the hot path. */
  add(name: string, by?: number): void;
  read(): Promise<Record<string, number>>;
}

/** One provider's share of a store (its keys carry the provider id). */
export interface Store {
  readonly kind: "memory" | "redis";
  /** The clock offset, the fault for this operation and the rate-limit verdict, in one step. */
  admit(query: AdmitQuery): Admission | Promise<Admission>;
  clockOffset(): Promise<number>;
  /** Adds to the shared offset atomically (two replicas moving it at once both count). */
  advanceClock(ms: number): Promise<number>;
  setClockOffset(offsetMs: number): Promise<number>;
  setFault(fault: Fault): Promise<void>;
  clearFaults(operationId?: string): Promise<void>;
  listFaults(): Promise<Fault[]>;
  collection(name: string, options: { expiring: boolean }): Collection;
  counters(name: string): Counters;
  /** Bytes held per collection (a record counts its JSON in UTF-8 plus RECORD_OVERHEAD_BYTES), every replica together with Redis. */
  bytes(): Promise<Record<string, number>>;
  /** Forgets everything of this provider in this store — and nothing else (other prefixes, other providers). */
  reset(): Promise<void>;
}

/** A connection shared by the providers of one process. */
export interface StoreBackend {
  readonly kind: "memory" | "redis";
  /** Where the state lives, credentials masked: `memory` or `redis://host:port/db`. */
  readonly description: string;
  open(provider: string, options?: StoreOptions): Store;
  close(): Promise<void>;
}

/**
 * The store cannot be reached (Redis down, restarting, or not answering in time). The pipeline turns
 * it into the status the spec declares with `x-embedkit-store-unavailable`, in the provider's envelope.
 */
export class StoreUnavailableError extends Error {
  override readonly name = "StoreUnavailableError";
  constructor(
    readonly where: string,
    readonly reason: string,
  ) {
    super(`state store ${where} unavailable: ${reason}`);
  }
}

/**
 * A write would take the provider's records past their budget (StoreOptions.budgetBytes). Nothing was
 * written; the provider sweeps what expired and, if there is still no room, answers the status its
 * spec declares with `x-embedkit-state-budget`.
 */
export class StateBudgetFullError extends Error {
  override readonly name = "StateBudgetFullError";
  constructor(readonly limitBytes: number) {
    super(`the state budget of ${limitBytes} bytes is full`);
  }
}
