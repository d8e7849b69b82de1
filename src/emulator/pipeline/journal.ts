import type { Redactor } from "./redact.js";

/** What the journal holds for one request. Redaction happens when it is read (off the hot path). */
export interface JournalRecord {
  seq: number;
  at: number;
  method: string;
  path: string;
  operationId: string | undefined;
  status: number;
  durationMs: number;
  remoteAddress: string;
  headers: Record<string, string | undefined>;
  body: unknown;
  problems: string[];
}

/** A bounded ring buffer of the latest requests. */
export class Journal {
  readonly #entries: (JournalRecord | undefined)[];
  #next = 0;
  #seq = 0;

  constructor(private readonly size: number) {
    this.#entries = new Array(size);
  }

  /** Takes ownership of `record` (no copy: this runs once per request). */
  add(record: Omit<JournalRecord, "seq">): void {
    if (this.size === 0) return;
    this.#seq += 1;
    (record as JournalRecord).seq = this.#seq;
    this.#entries[this.#next] = record as JournalRecord;
    this.#next = (this.#next + 1) % this.size;
  }

  clear(): void {
    this.#entries.fill(undefined);
    this.#next = 0;
  }

  /** Oldest first, redacted. */
  read(redactor: Redactor, limit = this.size): Record<string, unknown>[] {
    const ordered = [...this.#entries.slice(this.#next), ...this.#entries.slice(0, this.#next)];
    return (
      ordered
        .filter((e): e is JournalRecord => e !== undefined)
        // slice(-0) would be everything: `?limit=0` asks for nothing.
        .slice(limit === 0 ? ordered.length : -limit)
        .map((e) => ({
          seq: e.seq,
          at: new Date(e.at).toISOString(),
          method: e.method,
          path: redactor.text(e.path),
          operationId: e.operationId,
          status: e.status,
          durationMs: e.durationMs,
          remoteAddress: e.remoteAddress,
          headers: redactor.headers(e.headers),
          body: redactor.value(e.body),
          problems: e.problems.map((p) => redactor.text(p)),
        }))
    );
  }
}
