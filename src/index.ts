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
  providerInfo,
  SpecError,
  type SpecModel,
  /** The shipped spec of a provider: `specPath("cube")` → …/spec/cube.yaml. */
  specPath,
} from "./openapi/index.js";
export { type Problem, SchemaEngine } from "./schema/index.js";
