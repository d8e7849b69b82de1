import { decryptCompactJwe } from "./compact-jwe.js";
import { verifyCompactJws } from "./compact-jws.js";
import { decodeJsonSegment, parseJsonObject } from "./json-segment.js";

/** The protected header of a compact JWS or JWE, or undefined when it does not decode. */
export function headerOf(token: string): Record<string, unknown> | undefined {
  return decodeJsonSegment(token.split(".")[0]);
}

/** `text:`, `hex:`/64 bare hex digits, `base64:`, `base64url:`, else the UTF-8 bytes of the text. */
export function keyBytes(secret: string): Uint8Array {
  // `text:` keeps a secret that happens to be 64 hex digits (a common HMAC secret) as its text.
  if (secret.startsWith("text:")) return new TextEncoder().encode(secret.slice(5));
  if (/^hex:/i.test(secret)) return Buffer.from(secret.slice(4), "hex");
  if (/^[0-9a-f]{64}$/i.test(secret)) return Buffer.from(secret, "hex");
  if (secret.startsWith("base64:")) return Buffer.from(secret.slice(7), "base64");
  if (secret.startsWith("base64url:")) return Buffer.from(secret.slice(10), "base64url");
  return new TextEncoder().encode(secret);
}

export interface OpenedToken {
  payload?: Record<string, unknown>;
  /** True when a key verified (JWS) or decrypted (JWE) it. */
  keyed: boolean;
  error?: string;
}

const JWS_ERRORS = {
  malformed: "the JWS is malformed",
  unsupported: "the JWS algorithm is not an HMAC one (HS256, HS384, HS512)",
  signature: "signature verification failed",
} as const;

/**
 * Verifies a JWS or decrypts a JWE with `secret` (in keyBytes form) and reads its claims; without a
 * secret a JWS is only decoded and a JWE stays closed. Expiry is not checked: a caller judges lifetime.
 * On node:crypto: WebCrypto's AES-GCM was most of a contract case's cost.
 */
export async function openCompact(
  token: string,
  format: "jws" | "jwe",
  secret: string | undefined,
): Promise<OpenedToken> {
  if (format === "jwe") {
    if (secret === undefined) return { keyed: false };
    const out = decryptCompactJwe(token, keyBytes(secret));
    if (!out.ok) return { keyed: true, error: `the JWE does not decrypt: ${out.reason}` };
    const payload = parseJsonObject(out.plaintext);
    return payload
      ? { payload, keyed: true }
      : { keyed: true, error: "the JWE's plaintext is not a JSON object" };
  }
  if (secret !== undefined) {
    const out = verifyCompactJws(token, keyBytes(secret));
    return out.ok ? { payload: out.payload, keyed: true } : { keyed: true, error: JWS_ERRORS[out.reason] };
  }
  const parts = token.split(".");
  const payload = parts.length === 3 ? decodeJsonSegment(parts[1]) : undefined;
  return payload
    ? { payload, keyed: false }
    : { keyed: false, error: "the token is not a compact JWS with a JSON payload" };
}
