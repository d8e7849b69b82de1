/** A base64url segment holding a JSON object (a JOSE header or a JWT payload), or undefined. */
export function decodeJsonSegment(segment: string | undefined): Record<string, unknown> | undefined {
  if (segment === undefined || !/^[A-Za-z0-9_-]+$/.test(segment)) return undefined;
  return parseJsonObject(Buffer.from(segment, "base64url"));
}

/** UTF-8 bytes holding a JSON object, or undefined. */
export function parseJsonObject(bytes: Uint8Array): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
