/** Prism-style steering read from the `Prefer` header: `Prefer: code=429, delay=800`. */
export interface Preferences {
  code?: number;
  delayMs?: number;
}

/** Parses `code=` and `delay=`; anything else in the header is ignored, as RFC 7240 allows. */
export function parsePrefer(header: string | undefined): Preferences | undefined {
  if (!header || header.length > 512) return undefined;
  const out: Preferences = {};
  for (const part of header.split(/[,;]/)) {
    const match = /^\s*(code|delay)\s*=\s*"?(\d{1,9})"?\s*$/i.exec(part);
    if (!match) continue;
    const value = Number(match[2]);
    if (match[1]?.toLowerCase() === "code") out.code = value;
    else out.delayMs = value;
  }
  return out.code === undefined && out.delayMs === undefined ? undefined : out;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
