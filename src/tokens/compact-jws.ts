import { createHmac, timingSafeEqual } from "node:crypto";
import { decodeJsonSegment } from "./json-segment.js";

/**
 * Compact JWS with HMAC (RFC 7515, RFC 7518 §3.2), the form Cube's embed tokens take, on
 * node:crypto: one HMAC call, no WebCrypto round trip and no key import. jose stays the reference:
 * the tests verify our tokens with jose and jose's with ours.
 */
const HASHES: Record<string, string> = { HS256: "sha256", HS384: "sha384", HS512: "sha512" };

const b64url = (text: string) => Buffer.from(text, "utf8").toString("base64url");

function mac(alg: string, key: Uint8Array, signingInput: string): Buffer {
  return createHmac(HASHES[alg] ?? "sha256", key)
    .update(signingInput)
    .digest();
}

/** Signs `payload` (a JSON object) with an HMAC key: header.payload.signature. */
export function signCompactJws(
  header: { alg: "HS256" | "HS384" | "HS512"; [name: string]: unknown },
  payload: Record<string, unknown>,
  key: Uint8Array,
): string {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  return `${input}.${mac(header.alg, key, input).toString("base64url")}`;
}

export type VerifyOutcome =
  | { ok: true; header: Record<string, unknown>; payload: Record<string, unknown> }
  | { ok: false; reason: "malformed" | "unsupported" | "signature"; header?: Record<string, unknown> };

/**
 * Verifies an HMAC-signed compact JWS; never throws. Only the algorithms given are accepted (so
 * `alg: none` and algorithm confusion are refused), compared in constant time. Claims are not
 * judged here: expiry and issuer are the caller's (see introspection.ts).
 */
export function verifyCompactJws(
  token: string,
  key: Uint8Array,
  algorithms: readonly string[] = Object.keys(HASHES),
): VerifyOutcome {
  const parts = token.trim().split(".");
  if (parts.length !== 3) return { ok: false, reason: "malformed" };
  const [encodedHeader = "", encodedPayload = "", signature = ""] = parts;
  const header = decodeJsonSegment(encodedHeader);
  if (!header) return { ok: false, reason: "malformed" };
  const alg = header.alg;
  if (typeof alg !== "string" || !algorithms.includes(alg) || !(alg in HASHES) || header.crit !== undefined)
    return { ok: false, reason: "unsupported", header };
  const payload = decodeJsonSegment(encodedPayload);
  if (!payload || !/^[A-Za-z0-9_-]*$/.test(signature)) return { ok: false, reason: "malformed", header };
  const expected = mac(alg, key, `${encodedHeader}.${encodedPayload}`);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: "signature", header };
  return { ok: true, header, payload };
}
