/**
 * The one token module, shared by the emulator (minting, introspection) and the contract engine
 * (judging): compact JWS and JWE, key import and decoding, and ISO 8601 durations. Imports nothing of ours.
 */

export { type DecryptOutcome, decryptCompactJwe, encryptCompactJwe, type JweHeader } from "./compact-jwe.js";
export { signCompactJwsHs256 } from "./compact-jws.js";
export { isoDurationSeconds } from "./duration.js";
export {
  type CryptoKey,
  claimsOf,
  decodeCompact,
  type IntrospectReason,
  type IntrospectResult,
  IssuedTokens,
  importAesKey,
  importHmacKey,
  reasonOf,
  refused,
} from "./introspection.js";
export { JweTokens } from "./jwe-tokens.js";
export { headerOf, keyBytes, type OpenedToken, openCompact } from "./open.js";
