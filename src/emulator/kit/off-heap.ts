/**
 * Text kept for a long time, outside the JS heap when it is large. V8 lets its heap grow to a
 * multiple of what is live before a full collection, so megabytes of kept text (session records,
 * journal bodies) cost RSS well beyond their bytes; in a buffer they cost their bytes, freed when
 * dropped. Small text stays a string: a buffer's own bookkeeping would outweigh it.
 */
export type Kept = string | Buffer;

/** From this many characters on, text goes into a buffer of its own. */
const OFF_HEAP_FROM = 4096;

export function keep(text: string): Kept {
  if (text.length < OFF_HEAP_FROM) return text;
  // Unpooled: a slice of Node's shared pool would keep the whole pool alive for as long as it lives.
  const data = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
  data.write(text);
  return data;
}

export function textOf(kept: Kept): string {
  return typeof kept === "string" ? kept : kept.toString();
}
