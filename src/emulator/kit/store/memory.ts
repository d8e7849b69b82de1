import type {
  Admission,
  AdmitQuery,
  Collection,
  Counters,
  Fault,
  Store,
  StoreBackend,
  StoredRecord,
  UpsertOutcome,
} from "./types.js";

interface Entry {
  record: StoredRecord;
  /** Infinity for collections that do not expire. */
  expiresAt: number;
}

/**
 * Records in insertion order. Every change is synchronous (no await between check and write), so a
 * record is taken exactly once and a cap holds however many requests race in this process.
 */
class MemoryCollection implements Collection {
  readonly #entries = new Map<string, Entry>();

  /** Expiring records are in creation order at the front of the map: stop at the first live one. */
  #sweepFront(now: number): void {
    for (const [id, entry] of this.#entries) {
      if (now < entry.expiresAt) break;
      this.#entries.delete(id);
    }
  }

  async insert(id: string, record: StoredRecord, at: { now: number; expiresAt: number; cap?: number }) {
    this.#sweepFront(at.now);
    if (at.cap !== undefined && this.#entries.size >= at.cap) return false;
    this.#entries.set(id, { record, expiresAt: at.expiresAt });
    return true;
  }

  async take(id: string) {
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    this.#entries.delete(id);
    return entry.record;
  }

  async get(id: string) {
    return this.#entries.get(id)?.record;
  }

  async put(id: string, record: StoredRecord, at: { now: number; expiresAt?: number }) {
    const fresh = !this.#entries.has(id);
    // Re-inserted at the end, so the order stays the order of the last write.
    this.#entries.delete(id);
    this.#entries.set(id, { record, expiresAt: at.expiresAt ?? Number.POSITIVE_INFINITY });
    return fresh;
  }

  async remove(id: string) {
    this.#entries.delete(id);
  }

  async upsert(
    id: string,
    change: { create: StoredRecord; set: StoredRecord; incr: Record<string, number> },
    at: { now: number; cap: number },
  ): Promise<UpsertOutcome> {
    const entry = this.#entries.get(id);
    if (entry) {
      Object.assign(entry.record, change.set);
      for (const [k, by] of Object.entries(change.incr)) entry.record[k] = Number(entry.record[k] ?? 0) + by;
      return "updated";
    }
    if (this.#entries.size >= at.cap) return "full";
    this.#entries.set(id, { record: { ...change.create }, expiresAt: Number.POSITIVE_INFINITY });
    return "created";
  }

  async count(now: number) {
    this.#sweepFront(now);
    return this.#entries.size;
  }

  async latest(n: number) {
    return [...this.#entries.values()].slice(-n).map((e) => e.record);
  }

  async sweep(now: number) {
    for (const [id, entry] of this.#entries) if (now >= entry.expiresAt) this.#entries.delete(id);
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
    const made = new MemoryCollection();
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

  async reset() {
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
    open: () => new MemoryStore(),
    close: async () => {},
  };
}
