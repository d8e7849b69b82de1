export { SpecError } from "./errors.js";
export { DEFAULT_SPEC_LIMITS, REMOTE_REFS_FLAG, type SpecLimits } from "./limits.js";
export { assertNotes, type LoadOptions, loadSpec } from "./load.js";
export { nearest } from "./nearest.js";
export { normaliseDocument } from "./normalise.js";
export { type NoteProblem, noteProblems } from "./note-check.js";
export * from "./notes.js";
export { packageRoot } from "./package-root.js";
export { escapePointerToken, getAtPointer, joinPointer, splitPointer } from "./pointer.js";
export { remoteFetch } from "./refs.js";
export {
  isProviderId,
  PROVIDER_IDS,
  PROVIDERS,
  type ProviderId,
  type ProviderInfo,
  providerInfo,
  registerProvider,
  specPath,
} from "./registry.js";
export type * from "./types.js";
export { HTTP_METHODS } from "./types.js";
