import { compactVerify, decodeJwt, decodeProtectedHeader, type ProtectedHeaderParameters } from "jose";
import { getAtPointer } from "../../spec/index.js";
import { decryptCompactJwe } from "../../tokens/index.js";
import type { CheckContext, Exchange, TokenKeys } from "../types.js";

export { isoDurationSeconds } from "../../spec/index.js";

/** The response's `x-embedkit-token` note: what token the spec promises and how to judge it. */
export interface TokenNote {
  pointer: string;
  format: "jws" | "jwe";
  algorithms?: string[];
  encryption?: string[];
  issuer?: string;
  kid?: string;
  lifetimeSeconds?: number;
  lifetime?: { duration?: string; defaultSeconds?: number };
  claims?: Record<string, string>;
}

export function tokenNote(ctx: CheckContext): TokenNote | undefined {
  if (ctx.response.status < 200 || ctx.response.status > 299) return undefined;
  const note = ctx.declared?.extensions["x-embedkit-token"] as TokenNote | undefined;
  return note && typeof note.pointer === "string" ? note : undefined;
}

export function tokenOf(ctx: CheckContext, note: TokenNote): unknown {
  return getAtPointer(ctx.json(), note.pointer);
}

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

/** The key for a token: by its `kid`, else the one named `default`, else the only one given. */
export function keyFor(keys: TokenKeys, kid: string | undefined): string | undefined {
  if (kid !== undefined && keys[kid] !== undefined) return keys[kid];
  if (keys.default !== undefined) return keys.default;
  const all = Object.values(keys);
  return all.length === 1 ? all[0] : undefined;
}

export interface OpenedToken {
  payload?: Record<string, unknown>;
  /** True when a key verified (JWS) or decrypted (JWE) it. */
  keyed: boolean;
  error?: string;
}

const opened = new WeakMap<Exchange, Promise<OpenedToken>>();

async function open(token: string, note: TokenNote, keys: TokenKeys): Promise<OpenedToken> {
  const header = headerOf(token);
  const secret = keyFor(keys, typeof header?.kid === "string" ? header.kid : undefined);
  const parse = (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  try {
    if (note.format === "jwe") {
      if (secret === undefined) return { keyed: false };
      // node:crypto rather than jose here: WebCrypto's AES-GCM was most of a case's cost.
      const out = decryptCompactJwe(token, keyBytes(secret));
      if (!out.ok) return { keyed: true, error: `the JWE does not decrypt: ${out.reason}` };
      return { payload: parse(out.plaintext), keyed: true };
    }
    // Verify without checking exp: the lifetime is judged by token-lifetime, not by the clock.
    if (secret !== undefined)
      return { payload: parse((await compactVerify(token, keyBytes(secret))).payload), keyed: true };
    return { payload: decodeJwt(token) as Record<string, unknown>, keyed: false };
  } catch (error) {
    return { keyed: secret !== undefined, error: (error as Error).message };
  }
}

/** Opens a response's token once per exchange, however many checks ask. */
export function openToken(ctx: CheckContext, token: string, note: TokenNote): Promise<OpenedToken> {
  let p = opened.get(ctx.exchange);
  if (!p) {
    p = open(token, note, ctx.tokenKeys);
    opened.set(ctx.exchange, p);
  }
  return p;
}
