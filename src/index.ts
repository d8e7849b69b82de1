/** embedkit's programmatic API: what a user's own test suite imports. */
export * from "./clients/index.js";
export * from "./contract/index.js";
export * from "./emulator/index.js";
export {
  loadSpec,
  type Operation,
  PROVIDER_IDS,
  PROVIDERS,
  type ProviderId,
  type ProviderInfo,
  providerInfo,
  registerProvider,
  SpecError,
  type SpecModel,
  /** The shipped spec of a provider: `specPath("cube")` → …/spec/cube.yaml. */
  specPath,
} from "./openapi/index.js";
export { type Problem, SchemaEngine } from "./schema/index.js";
