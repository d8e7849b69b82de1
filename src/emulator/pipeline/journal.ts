import { bytesOf, ENTRY_OVERHEAD_BYTES } from "../kit/budget.js";
import { type Kept, keep, textOf } from "../kit/off-heap.js";
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
  /**
   * The JSON body as text, parsed only when read: kept parsed, 16 KiB of JSON could take twenty
   * times that in memory. Anything else (a note such as "[2000000 bytes, not kept]") is kept as is.
   */
  body: unknown;
  bodyIsJson?: boolean;
  problems: string[];
}

/** What a record weighs as stored: its strings in bytes plus the fixed cost of an entry. */
function recordBytes(r: Omit<JournalRecord, "seq">): number {
  let bytes = ENTRY_OVERHEAD_BYTES + r.path.length + r.remoteAddress.length + bytesOf(r.body);
  for (const [name, value] of Object.entries(r.headers)) bytes += name.length + (value?.length ?? 0) + 16;
  for (const p of r.problems) bytes += p.length;
  return bytes;
}

function parsedBody(e: Stored): unknown {
  if (!e.bodyIsJson || e.kept === undefined) return e.body;
  const text = textOf(e.kept);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A record as the journal holds it: a JSON body as text, kept outside the heap when large. */
type Stored = JournalRecord & { kept?: Kept };

/**
 * The latest requests, oldest dropped first: at most `size` of them and at most `maxBytes` as
 * stored, the journal's share of the provider's state budget (kit/budget.ts). It lives in this
 * process: it gives way, and never refuses a request.
 */
export class Journal {
  #entries: { record: Stored; bytes: number }[] = [];
  #head = 0;
  #bytes = 0;
  #seq = 0;

  constructor(
    private readonly size: number,
    private readonly maxBytes: number,
  ) {}

  get bytes(): number {
    return this.#bytes;
  }

  /** Takes ownership of `record` (no copy: this runs once per request). */
  add(record: Omit<JournalRecord, "seq">): void {
    if (this.size === 0) return;
    const bytes = recordBytes(record);
    if (bytes > this.maxBytes) return;
    while (this.#live() > 0 && (this.#live() >= this.size || this.#bytes + bytes > this.maxBytes))
      this.#dropOldest();
    this.#seq += 1;
    const stored = record as Stored;
    stored.seq = this.#seq;
    if (record.bodyIsJson && typeof record.body === "string") {
      stored.kept = keep(record.body);
      stored.body = undefined;
    }
    this.#entries.push({ record: stored, bytes });
    this.#bytes += bytes;
  }

  #live(): number {
    return this.#entries.length - this.#head;
  }

  #dropOldest(): void {
    const oldest = this.#entries[this.#head];
    if (!oldest) return;
    this.#entries[this.#head] = undefined as never;
    this.#head += 1;
    this.#bytes -= oldest.bytes;
    // Compact now and then, so dropping the oldest stays O(1) and the array does not grow.
    if (this.#head > 1024 && this.#head * 2 > this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head);
      this.#head = 0;
    }
  }

  clear(): void {
    this.#entries = [];
    this.#head = 0;
    this.#bytes = 0;
  }

  /** Oldest first, redacted; `limit` 0 is none. */
  read(redactor: Redactor, limit = this.size): Record<string, unknown>[] {
    const live = this.#entries.slice(this.#head);
    return live.slice(Math.max(0, live.length - limit)).map(({ record: e }) => ({
      seq: e.seq,
      at: new Date(e.at).toISOString(),
      method: e.method,
      path: redactor.text(e.path),
      operationId: e.operationId,
      status: e.status,
      durationMs: e.durationMs,
      remoteAddress: e.remoteAddress,
      headers: redactor.headers(e.headers),
      body: redactor.value(parsedBody(e)),
      problems: e.problems.map((p) => redactor.text(p)),
    }));
  }
}
