/** A mistake in how a command was called (bad flag, unknown provider, unreadable config). Exit 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
