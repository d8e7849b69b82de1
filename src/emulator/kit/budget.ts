/**
 * State is counted in bytes, not only in things: a provider left running for days must be bounded by
 * what it holds, and one session with a 1 MiB security context weighs as much as ten thousand small
 * ones. One budget per provider (`stateBudgetBytes`, the spec's `x-embedkit-state-budget`) is split
 * in three:
 * - the journal's share (`journalBytes`, at most half the budget), in this process's memory: the
 *   journal drops its oldest entries to stay within it, and never refuses a request;
 * - a sixteenth for what a provider keeps in its process beside the store (Cube's catalog of embed
 *   tenants' definitions), which refuses what would pass it;
 * - the rest for the records of the store (sessions, users, revocations), counted by the store itself
 *   (kit/store: memory, or Redis, where the count is shared by every replica on that prefix); a write
 *   that would pass it throws StateBudgetFullError, and the provider answers the note's status.
 */

/** What an entry costs beyond its own bytes: the map slot, the object and its fixed fields. */
export const ENTRY_OVERHEAD_BYTES = 256;

/** Bytes of a value as it is kept: its JSON in UTF-8 (strings: their UTF-8 bytes). */
export function bytesOf(value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value === "string") return Buffer.byteLength(value);
  return Buffer.byteLength(JSON.stringify(value) ?? "");
}

/** The three shares of one provider's budget. */
export function budgetShares(config: { stateBudgetBytes: number; journalBytes: number }): {
  journalBytes: number;
  processBytes: number;
  storeBytes: number;
} {
  const journalBytes = Math.min(config.journalBytes, Math.floor(config.stateBudgetBytes / 2));
  const processBytes = Math.floor(config.stateBudgetBytes / 16);
  return { journalBytes, processBytes, storeBytes: config.stateBudgetBytes - journalBytes - processBytes };
}

/** The 4xx message a provider answers when its budget is full, for its envelope. */
export function budgetFullMessage(limitBytes: number): string {
  return (
    `The local provider's state budget of ${limitBytes} bytes is full ` +
    "(x-embedkit-state-budget; raise stateBudgetBytes in the config, or reset)"
  );
}
