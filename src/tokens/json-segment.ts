/** A base64url segment holding a JSON object (a JOSE header or a JWT payload), or undefined. */
export function decodeJsonSegment(segment: string | undefined): Record<string, unknown> | undefined {
  if (segment === undefined || !/^[A-Za-z0-9_-]+$/.test(segment)) return undefined;
  return parseJsonObject(Buffer.from(segment, "base64url"));
}

/** UTF-8 bytes holding a JSON object, or undefined. */
/** Deeper headers or claims are not ours: they are refused as malformed before anything walks them. */
const MAX_DEPTH = 32;

function depthOver(value: unknown, limit: number): boolean {
  if (value === null || typeof value !== "object") return false;
  if (limit === 0) return true;
  for (const v of Object.values(value)) if (depthOver(v, limit - 1)) return true;
  return false;
}

export function parseJsonObject(bytes: Uint8Array): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (depthOver(value, MAX_DEPTH)) return undefined;
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
