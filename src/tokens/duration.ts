/**
 * What an ISO 8601 duration in a request means, in seconds from a given start: Explo's
 * `expiration` ("PT1H", "P1DT12H") as the emulator applies it and the contract checks judge it.
 * One definition for both, so they cannot disagree about a month.
 */
const ISO_DURATION =
  /^P(?!$)(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?=\d)(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * Seconds from `fromSeconds` (Unix time) until the end of the duration; undefined when malformed.
 * Whole years and months are calendar steps (P1M from 31 January ends on 3 March); their fractions
 * count as 365 and 30 days, and weeks, days, hours, minutes and seconds are fixed lengths.
 */
export function isoDurationSeconds(text: string, fromSeconds: number): number | undefined {
  const m = ISO_DURATION.exec(text);
  if (!m) return undefined;
  const [y, mo, w, d, h, mi, s] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v))) as number[];
  const start = new Date(fromSeconds * 1000);
  const end = new Date(start);
  end.setUTCFullYear(end.getUTCFullYear() + Math.trunc(y ?? 0), end.getUTCMonth() + Math.trunc(mo ?? 0));
  const fractional = ((y ?? 0) % 1) * 365 * 86_400 + ((mo ?? 0) % 1) * 30 * 86_400;
  const fixed = (w ?? 0) * 604_800 + (d ?? 0) * 86_400 + (h ?? 0) * 3_600 + (mi ?? 0) * 60 + (s ?? 0);
  // Whole seconds, as a JWT exp is an integer: rounded up, so a positive duration under a second
  // (PT0.5S) still mints a token that is not expired at birth. The small slack keeps float noise
  // (0.1 years is 3153600.0000000005 s) from adding a second.
  return Math.ceil((end.getTime() - start.getTime()) / 1000 + fixed + fractional - 1e-6);
}
