import { createHmac } from "node:crypto";

/**
 * Compact JWS with `alg: HS256` (RFC 7515 §7.1, RFC 7518 §3.2), the form Cube's embed tokens take,
 * on node:crypto. jose signs through WebCrypto, whose async HMAC costs Node 20 several times what
 * one createHmac call does; signing was most of the cost of a Cube exchange. jose stays the
 * reference: the tests (and introspection) verify these tokens with jose.
 */
export function signCompactJwsHs256(
  header: Record<string, unknown>,
  payload: unknown,
  key: Uint8Array,
): string {
  const input = `${Buffer.from(JSON.stringify(header)).toString("base64url")}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}`;
  return `${input}.${createHmac("sha256", key).update(input).digest("base64url")}`;
}
