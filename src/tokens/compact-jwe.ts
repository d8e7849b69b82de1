import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * Compact JWE with `alg: dir` and `enc: A256GCM` (RFC 7516 §7.1, RFC 7518 §5.3), the one form Explo
 * and Toucan tokens take, on node:crypto. jose does the same through WebCrypto, which on Node 20
 * costs ~0.4 ms of main-thread time per AES-GCM call against ~5 µs here; minting and judging these
 * tokens was most of the cost of an Explo or Toucan request and contract case. jose stays the
 * reference: the tests decrypt our tokens with jose and ours with jose's.
 */

export interface JweHeader {
  alg: "dir";
  enc: "A256GCM";
  kid?: string;
  [name: string]: unknown;
}

const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString("base64url");

/** Encrypts `plaintext` under a 32-byte key: header..iv.ciphertext.tag (the encrypted key is empty for dir). */
export function encryptCompactJwe(
  header: JweHeader,
  plaintext: Uint8Array | string,
  key: Uint8Array,
): string {
  if (key.length !== 32) throw new Error(`an A256GCM key is 32 bytes, got ${key.length}`);
  const protectedHeader = b64url(JSON.stringify(header));
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  // The AAD is the ASCII of the encoded protected header (RFC 7516 §5.1 step 14).
  cipher.setAAD(Buffer.from(protectedHeader, "ascii"));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return `${protectedHeader}..${b64url(iv)}.${b64url(ciphertext)}.${b64url(cipher.getAuthTag())}`;
}

export type DecryptOutcome =
  | { ok: true; header: JweHeader; plaintext: Buffer }
  | { ok: false; reason: "malformed" | "unsupported" | "decryption failed" };

/** Decrypts a compact dir+A256GCM JWE; never throws. The header's alg and enc are pinned. */
export function decryptCompactJwe(token: string, key: Uint8Array): DecryptOutcome {
  const parts = token.split(".");
  if (parts.length !== 5 || parts[1] !== "") return { ok: false, reason: "malformed" };
  const [encodedHeader = "", , iv = "", ciphertext = "", tag = ""] = parts;
  let header: JweHeader;
  try {
    header = JSON.parse(Buffer.from(encodedHeader, "base64url").toString("utf8")) as JweHeader;
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (header === null || typeof header !== "object") return { ok: false, reason: "malformed" };
  if (header.alg !== "dir" || header.enc !== "A256GCM" || key.length !== 32)
    return { ok: false, reason: "unsupported" };
  const ivBytes = Buffer.from(iv, "base64url");
  const tagBytes = Buffer.from(tag, "base64url");
  if (ivBytes.length !== 12 || tagBytes.length !== 16) return { ok: false, reason: "malformed" };
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, ivBytes, { authTagLength: 16 });
    decipher.setAAD(Buffer.from(encodedHeader, "ascii"));
    decipher.setAuthTag(tagBytes);
    const plaintext = Buffer.concat([
      decipher.update(Buffer.from(ciphertext, "base64url")),
      decipher.final(),
    ]);
    return { ok: true, header, plaintext };
  } catch {
    return { ok: false, reason: "decryption failed" };
  }
}
