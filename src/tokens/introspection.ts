import { decodeJsonSegment } from "./json-segment.js";
/** Why a token does not introspect as valid; what the control plane's token introspection reports. */
export type IntrospectReason = "expired" | "revoked" | "tampered" | "wrong-key" | "malformed";

export interface IntrospectResult {
  valid: boolean;
  reason?: IntrospectReason;
  claims?: Record<string, unknown>;
  header?: Record<string, unknown>;
}

/**
 * Fingerprints (jti, signature or IV) of tokens this emulator issued, bounded so memory stays flat.
 * Introspection uses it to tell a token we issued and someone altered ("tampered") from one we never
 * issued ("wrong-key"). Past the bound, the oldest are forgotten and would read as "wrong-key".
 */
export class IssuedTokens {
  readonly #seen = new Set<string>();
  constructor(private readonly limit = 20_000) {}

  add(...fingerprints: string[]): void {
    for (const f of fingerprints) {
      this.#seen.add(f);
      if (this.#seen.size > this.limit) {
        const oldest = this.#seen.values().next().value;
        if (oldest !== undefined) this.#seen.delete(oldest);
      }
    }
  }

  has(fingerprint: string | undefined): boolean {
    return fingerprint !== undefined && this.#seen.has(fingerprint);
  }

  clear(): void {
    this.#seen.clear();
  }
}

/** Splits a compact JWS (3 parts) or JWE (5 parts) and decodes its protected header (and JWS payload). */
export function decodeCompact(token: string, parts: 3 | 5) {
  const segments = token.trim().split(".");
  if (segments.length !== parts) return undefined;
  const header = decodeJsonSegment(segments[0]);
  if (!header) return undefined;
  const payload = parts === 3 ? decodeJsonSegment(segments[1]) : undefined;
  if (parts === 3 && !payload) return undefined;
  return { header, payload, segments };
}

export const refused = (
  reason: IntrospectReason,
  header?: Record<string, unknown>,
  claims?: Record<string, unknown>,
): IntrospectResult => ({
  valid: false,
  reason,
  ...(header ? { header } : {}),
  ...(claims ? { claims } : {}),
});

/**
 * The registered claims judged as jose's jwtVerify/jwtDecrypt judge them (RFC 7519 §4.1, no
 * tolerance): a non-numeric `exp`, `nbf` or `iat`, an `nbf` in the future or another issuer is
 * "tampered"; an `exp` at or before now is "expired". Undefined when the claims hold.
 */
export function judgeClaims(
  claims: Record<string, unknown>,
  nowMs: number,
  issuer?: string,
): IntrospectReason | undefined {
  const now = Math.floor(nowMs / 1000);
  for (const name of ["exp", "nbf", "iat"])
    if (claims[name] !== undefined && typeof claims[name] !== "number") return "tampered";
  // Every token minted here expires; one without `exp` was not minted here.
  if (claims.exp === undefined) return "tampered";
  if (issuer !== undefined && claims.iss !== issuer) return "tampered";
  if (typeof claims.nbf === "number" && claims.nbf > now) return "tampered";
  if (typeof claims.exp === "number" && claims.exp <= now) return "expired";
  return undefined;
}
