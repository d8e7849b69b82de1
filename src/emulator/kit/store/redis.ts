import { createHash } from "node:crypto";
import { createClient, ErrorReply, type RedisClientType } from "redis";
import { Deadlines } from "./deadlines.js";
import { maskRedisUrl, type RedisOptions, type StoreEvent } from "./redis-options.js";
import { ADMIT, INSERT, PUT, REMOVE, SWEEP, TAKE, UPSERT } from "./redis-scripts.js";
import {
  type Admission,
  type AdmitQuery,
  type Collection,
  type Counters,
  type Fault,
  RECORD_OVERHEAD_BYTES,
  StateBudgetFullError,
  type Store,
  type StoreBackend,
  type StoredRecord,
  StoreUnavailableError,
  type UpsertOutcome,
} from "./types.js";

/** A record outlives its expiry on the emulator's clock by this much in Redis, so moving the clock back still finds it. */
const GRACE_MS = 3_600_000;

/** Replies that mean "not now" rather than "a bug of ours": answered like a lost connection. */
const TRANSIENT_REPLY = /^(LOADING|BUSY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|READONLY|OOM)\b/;

type Client = RedisClientType;

/**
 * Commands waiting in the client at once, at most. Past it a command fails at once (answered as
 * "store unavailable") instead of queueing without bound while Redis does not answer.
 */
const MAX_QUEUED_COMMANDS = 10_000;

/** Runs Lua by its SHA1, loading it again after a Redis restart emptied the script cache. */
class Scripts {
  readonly #sha = new Map<string, string>();
  constructor(
    private readonly client: Client,
    private readonly where: string,
    private readonly deadlines: Deadlines,
  ) {}

  async run(script: string, keys: string[], args: (string | number)[]): Promise<unknown> {
    let sha = this.#sha.get(script);
    if (!sha) {
      sha = createHash("sha1").update(script).digest("hex");
      this.#sha.set(script, sha);
    }
    const tail = [String(keys.length), ...keys, ...args.map(String)];
    try {
      return await this.deadlines.guard(this.client.sendCommand(["EVALSHA", sha, ...tail]));
    } catch (error) {
      if (error instanceof ErrorReply && error.message.startsWith("NOSCRIPT")) {
        return this.call(["EVAL", script, ...tail]);
      }
      throw this.wrap(error);
    }
  }

  async call(args: string[]): Promise<unknown> {
    try {
      return await this.deadlines.guard(this.client.sendCommand(args));
    } catch (error) {
      throw this.wrap(error);
    }
  }

  wrap(error: unknown): unknown {
    if (error instanceof ErrorReply && !TRANSIENT_REPLY.test(error.message)) return error;
    const reason = error instanceof Error ? error.message || error.name : String(error);
    return new StoreUnavailableError(this.where, reason);
  }
}

const json = (value: unknown) => JSON.stringify(value);
const parse = (value: unknown): StoredRecord | undefined =>
  typeof value === "string" ? (JSON.parse(value) as StoredRecord) : undefined;

class RedisCollection implements Collection {
  readonly #keys: string[];
  readonly #records: string;
  /** The last ARGVs of every collection script: see BUDGET in redis-scripts.ts. */
  readonly #budget: (string | number)[];
  constructor(
    private readonly scripts: Scripts,
    base: string,
    name: string,
    ledger: string,
    private readonly limit: number,
    private readonly expiring: boolean,
  ) {
    const collection = `${base}c:${name}`;
    this.#records = `${collection}:r:`;
    this.#keys = [`${collection}:idx`, "", `${collection}:b`, ledger];
    this.#budget = [name, limit, RECORD_OVERHEAD_BYTES, this.#records];
  }

  #run(script: string, id: string, args: (string | number)[]): Promise<unknown> {
    const keys = [...this.#keys];
    keys[1] = this.#records + id;
    return this.scripts.run(script, keys, [...args, ...this.#budget]);
  }

  /** -1 from a script: the budget had no room and nothing was written. */
  #checked(outcome: unknown): unknown {
    if (outcome === -1) throw new StateBudgetFullError(this.limit);
    return outcome;
  }

  async insert(id: string, record: StoredRecord, at: { now: number; expiresAt: number; cap?: number }) {
    const px = Math.max(1, Math.ceil(at.expiresAt - at.now) + GRACE_MS);
    const args = [id, json(record), at.now, at.expiresAt, at.cap ?? -1, px];
    return this.#checked(await this.#run(INSERT, id, args)) === 1;
  }

  async take(id: string) {
    return parse(await this.#run(TAKE, id, [id]));
  }

  async get(id: string) {
    return parse(await this.scripts.call(["GET", this.#records + id]));
  }

  async put(id: string, record: StoredRecord, at: { now: number; expiresAt?: number }) {
    const score = at.expiresAt ?? at.now;
    const px = at.expiresAt === undefined ? 0 : Math.max(1, Math.ceil(at.expiresAt - at.now) + GRACE_MS);
    return this.#checked(await this.#run(PUT, id, [id, json(record), score, px])) === 1;
  }

  async remove(id: string) {
    await this.#run(REMOVE, id, [id]);
  }

  async upsert(
    id: string,
    change: { create: StoredRecord; set: StoredRecord; incr: Record<string, number> },
    at: { now: number; cap: number },
  ): Promise<UpsertOutcome> {
    const args = [id, json(change.create), json(change.set), json(change.incr), at.cap, at.now];
    const outcome = this.#checked(await this.#run(UPSERT, id, args));
    return outcome === 2 ? "created" : outcome === 1 ? "updated" : "full";
  }

  async count(now: number) {
    if (!this.expiring) return Number(await this.scripts.call(["ZCARD", this.#keys[0] as string]));
    return Number(await this.#run(SWEEP, "", [now]));
  }

  async latest(n: number) {
    const ids = (await this.scripts.call(["ZRANGE", this.#keys[0] as string, String(-n), "-1"])) as string[];
    if (ids.length === 0) return [];
    const values = (await this.scripts.call(["MGET", ...ids.map((id) => this.#records + id)])) as unknown[];
    return values.map(parse).filter((r): r is StoredRecord => r !== undefined);
  }

  async sweep(now: number) {
    if (this.expiring) await this.count(now);
  }
}

/** HGETALL answers a flat array (RESP2) or a map (RESP3). */
const pairsOf = (raw: Record<string, string> | string[]) =>
  Array.isArray(raw)
    ? Array.from({ length: raw.length / 2 }, (_, i) => [raw[2 * i], raw[2 * i + 1]])
    : Object.entries(raw);

class RedisCounters implements Counters {
  constructor(
    private readonly scripts: Scripts,
    private readonly key: string,
  ) {}
  add(name: string, by = 1): void {
    // Counters only inform /__embedkit/state: a lost increment while Redis is away is no answer lost.
    this.scripts.call(["HINCRBY", this.key, name, String(by)]).catch(() => {});
  }
  async read() {
    const raw = (await this.scripts.call(["HGETALL", this.key])) as Record<string, string> | string[];
    return Object.fromEntries(pairsOf(raw).map(([k, v]) => [String(k), Number(v)]));
  }
}

/** `*`, `?`, `[`, `]` and `\` in a prefix would widen SCAN's MATCH beyond our own keys. */
const globEscape = (text: string) => text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);

/** One provider's keys, all under `<prefix><provider>:`. */
class RedisStore implements Store {
  readonly kind = "redis";
  readonly #clock: string;
  readonly #faults: string;
  readonly #ledger: string;
  constructor(
    private readonly scripts: Scripts,
    private readonly base: string,
    private readonly budgetBytes: number,
  ) {
    this.#clock = `${base}clock`;
    this.#faults = `${base}faults`;
    this.#ledger = `${base}bytes`;
  }

  async admit(query: AdmitQuery): Promise<Admission> {
    const keys = [this.#clock, this.#faults];
    const args: (string | number)[] = [query.operationId, query.random, query.baseNow];
    if (query.rate) {
      keys.push(`${this.base}rl:${query.rate.client}`);
      args.push(query.rate.limit, query.rate.windowMs);
    }
    const [offset, fault, retry] = (await this.scripts.run(ADMIT, keys, args)) as [string, string, number];
    const admission: Admission = { offsetMs: Number(offset) };
    if (fault) admission.fault = JSON.parse(fault) as Fault;
    if (retry >= 0) admission.retryAfter = retry;
    return admission;
  }

  async clockOffset() {
    return Number((await this.scripts.call(["GET", this.#clock])) ?? 0);
  }
  async advanceClock(ms: number) {
    return Number(await this.scripts.call(["INCRBY", this.#clock, String(Math.round(ms))]));
  }
  async setClockOffset(offsetMs: number) {
    const value = Math.round(offsetMs);
    await this.scripts.call(["SET", this.#clock, String(value)]);
    return value;
  }
  async setFault(fault: Fault) {
    await this.scripts.call(["HSET", this.#faults, fault.operationId, json(fault)]);
  }
  async clearFaults(operationId?: string) {
    if (operationId === undefined) await this.scripts.call(["DEL", this.#faults]);
    else await this.scripts.call(["HDEL", this.#faults, operationId]);
  }
  async listFaults() {
    const raw = (await this.scripts.call(["HVALS", this.#faults])) as string[];
    return raw.map((f) => JSON.parse(f) as Fault);
  }

  collection(name: string, options: { expiring: boolean }): Collection {
    return new RedisCollection(
      this.scripts,
      this.base,
      name,
      this.#ledger,
      this.budgetBytes,
      options.expiring,
    );
  }

  /** The ledger every replica on this prefix writes to, in the same scripts as the records. */
  async bytes() {
    const raw = (await this.scripts.call(["HGETALL", this.#ledger])) as Record<string, string> | string[];
    return Object.fromEntries(pairsOf(raw).map(([k, v]) => [String(k), Number(v)]));
  }

  counters(name: string): Counters {
    return new RedisCounters(this.scripts, `${this.base}n:${name}`);
  }

  /** SCAN + UNLINK over this provider's keys only: other prefixes and providers keep theirs. */
  async reset() {
    let cursor = "0";
    do {
      const [next, keys] = (await this.scripts.call([
        "SCAN",
        cursor,
        "MATCH",
        `${globEscape(this.base)}*`,
        "COUNT",
        "1000",
      ])) as [string, string[]];
      cursor = String(next);
      if (keys.length > 0) await this.scripts.call(["UNLINK", ...keys]);
    } while (cursor !== "0");
  }
}

/**
 * Connects once; a Redis that cannot be reached at start-up is a StoreUnavailableError (the CLI says
 * so in one line and exits 2). Later losses are retried in the background with a capped back-off,
 * while every command fails at once (no offline queue) or when no answer came within
 * `commandTimeoutMs` (written or not): requests get the declared answer promptly and service
 * resumes by itself.
 */
export async function connectRedis(
  options: RedisOptions,
  onEvent: (event: StoreEvent, detail: string) => void = () => {},
): Promise<StoreBackend> {
  const where = maskRedisUrl(options.url);
  let ready = false;
  let lost = false;
  const client = createClient({
    url: options.url,
    disableOfflineQueue: true,
    commandsQueueMaxLength: MAX_QUEUED_COMMANDS,
    // 0 switches off the client's own per-command timer (it has a default): Deadlines below keep one.
    commandOptions: { timeout: 0 },
    socket: {
      connectTimeout: Math.max(options.commandTimeoutMs, 2_000),
      reconnectStrategy: (retries: number, cause: Error) =>
        ready ? Math.min(50 * 2 ** retries, 1_000) : new StoreUnavailableError(where, cause.message),
    },
  }) as unknown as Client;
  client.on("error", (error: Error) => {
    if (ready && !lost) {
      lost = true;
      onEvent("lost", error.message || error.name);
    }
  });
  client.on("ready", () => {
    if (lost) onEvent("restored", where);
    lost = false;
  });
  try {
    await client.connect();
  } catch (error) {
    client.destroy();
    const reason = error instanceof Error ? error.message || error.name : String(error);
    throw error instanceof StoreUnavailableError ? error : new StoreUnavailableError(where, reason);
  }
  ready = true;
  const timeoutMs = options.commandTimeoutMs;
  const deadlines = new Deadlines(timeoutMs, () => new Error(`no answer within ${timeoutMs} ms`));
  const scripts = new Scripts(client, where, deadlines);
  return {
    kind: "redis",
    description: where,
    open: (provider, limits) =>
      new RedisStore(scripts, `${options.keyPrefix}${provider}:`, limits?.budgetBytes ?? -1),
    async close() {
      client.destroy();
    },
  };
}
