const UNIT_SECONDS = { Y: 365 * 86_400, M: 30 * 86_400, W: 7 * 86_400, D: 86_400, H: 3_600, TM: 60, S: 1 };

const ISO_DURATION =
  /^P(?!$)(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?=\d)(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * Seconds in an ISO 8601 duration (`PT1H`, `P1DT12H`); undefined when malformed. Years and months
 * have no fixed length, so they count as 365 and 30 days.
 */
export function durationSeconds(text: string): number | undefined {
  const m = ISO_DURATION.exec(text);
  if (!m) return undefined;
  const [, y, mo, w, d, h, mi, s] = m;
  const parts: [string | undefined, number][] = [
    [y, UNIT_SECONDS.Y],
    [mo, UNIT_SECONDS.M],
    [w, UNIT_SECONDS.W],
    [d, UNIT_SECONDS.D],
    [h, UNIT_SECONDS.H],
    [mi, UNIT_SECONDS.TM],
    [s, UNIT_SECONDS.S],
  ];
  return Math.floor(parts.reduce((sum, [v, unit]) => sum + (v ? Number(v) * unit : 0), 0));
}
