import { type Kept, keep, textOf } from "../off-heap.js";
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
  type StoreOptions,
  type UpsertOutcome,
} from "./types.js";

interface Entry {
  /** The record's JSON, outside the JS heap when large (kit/off-heap). */
  data: Kept;
  /** Infinity for collections that do not expire. */
  expiresAt: number;
  /** What it counts in the budget: its JSON in UTF-8 plus RECORD_OVERHEAD_BYTES. */
  bytes: number;
}

/** A record as kept: its JSON, so what is counted is what is held, and every read is a copy (as with Redis). */
function encode(record: StoredRecord): { data: Kept; bytes: number } {
  const json = JSON.stringify(record);
  return { data: keep(json), bytes: Buffer.byteLength(json) + RECORD_OVERHEAD_BYTES };
}

function decode(data: Kept): StoredRecord {
  return JSON.parse(textOf(data)) as StoredRecord;
}

/** Bytes held by one provider's collections, against its budget. */
class Ledger {
  readonly byName = new Map<string, number>();
  #total = 0;
  constructor(readonly limit: number) {}

  /** Throws (changing nothing) when `more` bytes would pass the limit. */
  check(more: number): void {
    if (more > 0 && this.#total + more > this.limit) throw new StateBudgetFullError(this.limit);
  }

  add(name: string, delta: number): void {
    this.byName.set(name, (this.byName.get(name) ?? 0) + delta);
    this.#total += delta;
  }

  clear(): void {
    this.byName.clear();
    this.#total = 0;
  }
}

/**
 * Records in insertion order. Every change is synchronous (no await between check and write), so a
 * record is taken exactly once and a cap holds however many requests race in this process.
 */
class MemoryCollection implements Collection {
  readonly #entries = new Map<string, Entry>();
  constructor(
    private readonly name: string,
    private readonly ledger: Ledger,
  ) {}

  #drop(id: string, entry: Entry): void {
    this.#entries.delete(id);
    this.ledger.add(this.name, -entry.bytes);
  }

  /** Expiring records are in creation order at the front of the map: stop at the first live one. */
  #sweepFront(now: number): void {
    for (const [id, entry] of this.#entries) {
      if (now < entry.expiresAt) break;
      this.#drop(id, entry);
    }
  }

  async insert(id: string, record: StoredRecord, at: { now: number; expiresAt: number; cap?: number }) {
    this.#sweepFront(at.now);
    if (at.cap !== undefined && this.#entries.size >= at.cap) return false;
    const { data, bytes } = encode(record);
    this.ledger.check(bytes);
    this.#entries.set(id, { data, expiresAt: at.expiresAt, bytes });
    this.ledger.add(this.name, bytes);
    return true;
  }

  async take(id: string) {
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    this.#drop(id, entry);
    return decode(entry.data);
  }

  async get(id: string) {
    const entry = this.#entries.get(id);
    return entry && decode(entry.data);
  }

  async put(id: string, record: StoredRecord, at: { now: number; expiresAt?: number }) {
    const old = this.#entries.get(id);
    const { data, bytes } = encode(record);
    this.ledger.check(bytes - (old?.bytes ?? 0));
    // Re-inserted at the end, so the order stays the order of the last write.
    if (old) this.#drop(id, old);
    this.#entries.set(id, { data, expiresAt: at.expiresAt ?? Number.POSITIVE_INFINITY, bytes });
    this.ledger.add(this.name, bytes);
    return old === undefined;
  }

  async remove(id: string) {
    const entry = this.#entries.get(id);
    if (entry) this.#drop(id, entry);
  }

  async upsert(
    id: string,
    change: { create: StoredRecord; set: StoredRecord; incr: Record<string, number> },
    at: { now: number; cap: number },
  ): Promise<UpsertOutcome> {
    const entry = this.#entries.get(id);
    if (entry) {
      const record = { ...decode(entry.data), ...change.set };
      for (const [k, by] of Object.entries(change.incr)) record[k] = Number(record[k] ?? 0) + by;
      const { data, bytes } = encode(record);
      this.ledger.check(bytes - entry.bytes);
      this.ledger.add(this.name, bytes - entry.bytes);
      entry.data = data;
      entry.bytes = bytes;
      return "updated";
    }
    if (this.#entries.size >= at.cap) return "full";
    const { data, bytes } = encode({ ...change.create });
    this.ledger.check(bytes);
    this.#entries.set(id, { data, expiresAt: Number.POSITIVE_INFINITY, bytes });
    this.ledger.add(this.name, bytes);
    return "created";
  }

  async count(now: number) {
    this.#sweepFront(now);
    return this.#entries.size;
  }

  async latest(n: number) {
    return [...this.#entries.values()].slice(-n).map((e) => decode(e.data));
  }

  async sweep(now: number) {
    for (const [id, entry] of this.#entries) if (now >= entry.expiresAt) this.#drop(id, entry);
  }

  clear(): void {
    this.#entries.clear();
  }
}

class MemoryCounters implements Counters {
  #values: Record<string, number> = {};
  add(name: string, by = 1): void {
    this.#values[name] = (this.#values[name] ?? 0) + by;
  }
  async read() {
    return { ...this.#values };
  }
  clear(): void {
    this.#values = {};
  }
}

interface Window {
  start: number;
  count: number;
}

/** One provider's state in this process: the embedded default, needing nothing else. */
class MemoryStore implements Store {
  readonly kind = "memory";
  readonly #ledger: Ledger;
  constructor(options: StoreOptions = {}) {
    this.#ledger = new Ledger(options.budgetBytes ?? Number.POSITIVE_INFINITY);
  }
  #offsetMs = 0;
  readonly #faults = new Map<string, Fault>();
  readonly #windows = new Map<string, Window>();
  readonly #collections = new Map<string, MemoryCollection>();
  readonly #counters = new Map<string, MemoryCounters>();

  admit(query: AdmitQuery): Admission {
    const admission: Admission = { offsetMs: this.#offsetMs };
    if (this.#faults.size > 0) {
      const fault = this.#drawFault(query.operationId, query.random);
      if (fault) admission.fault = fault;
    }
    if (query.rate) {
      const retryAfter = this.#hit(query.rate, query.baseNow + this.#offsetMs);
      if (retryAfter !== undefined) admission.retryAfter = retryAfter;
    }
    return admission;
  }

  #drawFault(operationId: string, random: number): Fault | undefined {
    const fault = this.#faults.get(operationId);
    if (!fault || (fault.probability < 1 && random >= fault.probability)) return undefined;
    if (fault.count !== undefined) {
      fault.count -= 1;
      if (fault.count <= 0) this.#faults.delete(operationId);
    }
    return { ...fault };
  }

  /** A fixed window per client, like Explo's 180 a minute (https://docs.explo.co/security/rate-limits). */
  #hit(rate: NonNullable<AdmitQuery["rate"]>, now: number): number | undefined {
    let w = this.#windows.get(rate.client);
    if (!w || now - w.start >= rate.windowMs || now < w.start) {
      // Re-inserted at the end, so stale windows sit at the front, where the sweep starts.
      this.#windows.delete(rate.client);
      w = { start: now, count: 0 };
      this.#windows.set(rate.client, w);
      this.#sweepWindows(now, rate.windowMs);
    }
    w.count += 1;
    if (w.count <= rate.limit) return undefined;
    return Math.max(1, Math.ceil((w.start + rate.windowMs - now) / 1000));
  }

  #sweepWindows(now: number, windowMs: number): void {
    for (const [client, w] of this.#windows) {
      if (now - w.start < windowMs) break;
      this.#windows.delete(client);
    }
  }

  async clockOffset() {
    return this.#offsetMs;
  }
  async advanceClock(ms: number) {
    this.#offsetMs += Math.round(ms);
    return this.#offsetMs;
  }
  async setClockOffset(offsetMs: number) {
    this.#offsetMs = Math.round(offsetMs);
    return this.#offsetMs;
  }
  async setFault(fault: Fault) {
    this.#faults.set(fault.operationId, { ...fault });
  }
  async clearFaults(operationId?: string) {
    if (operationId === undefined) this.#faults.clear();
    else this.#faults.delete(operationId);
  }
  async listFaults() {
    return [...this.#faults.values()].map((f) => ({ ...f }));
  }

  collection(name: string): Collection {
    const found = this.#collections.get(name);
    if (found) return found;
    const made = new MemoryCollection(name, this.#ledger);
    this.#collections.set(name, made);
    return made;
  }

  counters(name: string): Counters {
    const found = this.#counters.get(name);
    if (found) return found;
    const made = new MemoryCounters();
    this.#counters.set(name, made);
    return made;
  }

  async bytes() {
    return Object.fromEntries(this.#ledger.byName);
  }

  async reset() {
    this.#ledger.clear();
    this.#offsetMs = 0;
    this.#faults.clear();
    this.#windows.clear();
    for (const c of this.#collections.values()) c.clear();
    for (const c of this.#counters.values()) c.clear();
  }
}

/** State in this process only: the default, so `npm start` needs nothing else. */
export function memoryBackend(): StoreBackend {
  return {
    kind: "memory",
    description: "memory",
    open: (_provider, options) => new MemoryStore(options),
    close: async () => {},
  };
}
