/**
 * The provider kit: everything a provider folder (src/emulator/providers/<id>/) may use, from one
 * entry. Providers import this and their generated types, nothing else of the emulator; the server
 * and the pipeline are free to change behind it.
 */
export { NOTES, readNote, type SpecModel } from "../../openapi/index.js";
export {
  decodeCompact,
  IssuedTokens,
  isoDurationSeconds,
  JweTokens,
  judgeClaims,
  refused,
  signCompactJws,
  verifyCompactJws,
} from "../../tokens/index.js";
export { budgetFullMessage, budgetShares, bytesOf, ENTRY_OVERHEAD_BYTES } from "./budget.js";
export { CLIPPED, clip } from "./clip.js";
export { AdjustableClock, systemClock } from "./clock.js";
export {
  type CommonSettings,
  ConfigError,
  int,
  lifetimeSeconds,
  MAX_LIFETIME_SECONDS,
  mergeConfig,
} from "./config.js";
export {
  browserAsset,
  escapeHtml,
  htmlPage,
  jsonForScript,
  jsonReply,
  refererOrigin,
  scriptAsset,
} from "./embed-kit.js";
export { randomHex, secretEquals, secretMatcher } from "./ids.js";
export type { Collection, Counters, Fault, Store, StoredRecord } from "./store/index.js";
export { StateBudgetFullError } from "./store/index.js";
export { type JsonBody, type JsonResponse, reasonPhrase, success } from "./typed.js";
export type * from "./types.js";
