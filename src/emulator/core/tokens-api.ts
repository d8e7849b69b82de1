/** What provider token modules use from the core, in one import. */
export { randomHex } from "./ids.js";
export { JweTokens } from "./jwe.js";
export {
  type CryptoKey,
  claimsOf,
  decodeCompact,
  IssuedTokens,
  importAesKey,
  importHmacKey,
  reasonOf,
  refused,
} from "./tokens.js";
export type { IntrospectResult } from "./types.js";
