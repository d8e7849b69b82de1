import { compactVerify, decodeJwt, decodeProtectedHeader, type ProtectedHeaderParameters } from "jose";
import { decryptCompactJwe } from "./compact-jwe.js";

/** The protected header of a compact JWS or JWE, or undefined when it does not decode. */
export function headerOf(token: string): ProtectedHeaderParameters | undefined {
  try {
    return decodeProtectedHeader(token);
  } catch {
    return undefined;
  }
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

/**
 * Verifies a JWS or decrypts a JWE with `secret` (in keyBytes form) and reads its claims; without a
 * secret a JWS is only decoded and a JWE stays closed. Expiry is not checked: a caller judges lifetime.
 */
export async function openCompact(
  token: string,
  format: "jws" | "jwe",
  secret: string | undefined,
): Promise<OpenedToken> {
  const parse = (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  try {
    if (format === "jwe") {
      if (secret === undefined) return { keyed: false };
      // node:crypto rather than jose here: WebCrypto's AES-GCM was most of a case's cost.
      const out = decryptCompactJwe(token, keyBytes(secret));
      if (!out.ok) return { keyed: true, error: `the JWE does not decrypt: ${out.reason}` };
      return { payload: parse(out.plaintext), keyed: true };
    }
    if (secret !== undefined)
      return { payload: parse((await compactVerify(token, keyBytes(secret))).payload), keyed: true };
    return { payload: decodeJwt(token) as Record<string, unknown>, keyed: false };
  } catch (error) {
    return { keyed: secret !== undefined, error: (error as Error).message };
  }
}
