/** The value, or a thrown error naming what was missing: a failing test instead of a `!`. */
export function must<T>(value: T | undefined | null, what = "value"): T {
  if (value === undefined || value === null) throw new Error(`expected a ${what}`);
  return value;
}
