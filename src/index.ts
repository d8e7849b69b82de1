/** embedkit's programmatic API: what a user's own test suite imports. */
export * from "./clients/index.js";
export * from "./contract/index.js";
export * from "./emulator/index.js";
export {
  loadSpec,
  type Operation,
  PROVIDERS,
  type ProviderId,
  type ProviderInfo,
  registerProvider,
  SpecError,
  type SpecModel,
} from "./openapi/index.js";
export { type Problem, SchemaEngine } from "./schema/index.js";
