import { webcrypto } from "node:crypto";
import { errors } from "jose";

export type CryptoKey = webcrypto.CryptoKey;

/** Why a token does not introspect as valid; what the control plane's token introspection reports. */
export type IntrospectReason = "expired" | "revoked" | "tampered" | "wrong-key" | "malformed";

export interface IntrospectResult {
  valid: boolean;
  reason?: IntrospectReason;
  claims?: Record<string, unknown>;
  header?: Record<string, unknown>;
}

/** An HMAC key imported once at start-up; jose then never re-imports it per request. */
export function importHmacKey(secret: Uint8Array): Promise<CryptoKey> {
  return webcrypto.subtle.importKey("raw", secret, { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
    "verify",
  ]);
}

/** A 256-bit AES-GCM content key for `alg: dir`, imported once at start-up. */
export function importAesKey(bytes: Uint8Array): Promise<CryptoKey> {
  if (bytes.length !== 32) throw new Error(`an A256GCM key is 32 bytes, got ${bytes.length}`);
  return webcrypto.subtle.importKey("raw", bytes, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
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

function decodeSegment(segment: string | undefined): Record<string, unknown> | undefined {
  if (segment === undefined || !/^[A-Za-z0-9_-]+$/.test(segment)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Splits a compact JWS (3 parts) or JWE (5 parts) and decodes its protected header (and JWS payload). */
export function decodeCompact(token: string, parts: 3 | 5) {
  const segments = token.trim().split(".");
  if (segments.length !== parts) return undefined;
  const header = decodeSegment(segments[0]);
  if (!header) return undefined;
  const payload = parts === 3 ? decodeSegment(segments[1]) : undefined;
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

/** jose's verification errors mapped to introspection reasons; `issuedByUs` decides tampered vs wrong-key. */
export function reasonOf(error: unknown, issuedByUs: boolean): IntrospectReason {
  if (error instanceof errors.JWTExpired) return "expired";
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JWTClaimValidationFailed)
    return "tampered";
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWEDecryptionFailed) {
    return issuedByUs ? "tampered" : "wrong-key";
  }
  if (
    error instanceof errors.JWTInvalid ||
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JWEInvalid
  ) {
    return "malformed";
  }
  return "malformed";
}

/** The claims a jose error carries (expired tokens still have readable claims). */
export function claimsOf(error: unknown): Record<string, unknown> | undefined {
  if (error instanceof errors.JWTClaimValidationFailed || error instanceof errors.JWTExpired) {
    return error.payload as Record<string, unknown>;
  }
  return undefined;
}
