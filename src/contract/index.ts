/** The contract engine: generate cases from a spec, send them, judge the answers, report. */
export { buildCases, type CaseSource, type Credentials, credentialTarget } from "./cases/index.js";
export type { TestData } from "./cases/test-data.js";
export { ACCEPTED_STATUSES, ALL_CHECKS, CHECK_IDS, isoDurationSeconds, keyBytes } from "./checks/index.js";
export type { OperationCoverage } from "./coverage.js";
export {
  type ContractEvent,
  EventLog,
  type Listener,
  type NotExercised,
  type RunInfo,
  type StopReason,
  type Summary,
} from "./events.js";
export { filterOperations, type OperationFilter } from "./filters.js";
export { consoleReporter } from "./reporters/console.js";
export { curlOf } from "./reporters/curl.js";
export { htmlReport } from "./reporters/html.js";
export { jsonReporter } from "./reporters/json.js";
export { junitReport } from "./reporters/junit.js";
export { authEnvVar, NO_MASK, type Secret, SecretMask } from "./reporters/secrets.js";
export { type RetryOptions, retryAfterMs } from "./retry.js";
export { type ContractOptions, ContractOptionsError, type ContractRun, runContract } from "./runner.js";
export { httpTransport } from "./transports/http.js";
export { type FetchHandler, inProcessTransport } from "./transports/in-process.js";
export { TargetUnreachableError, type Transport } from "./transports/transport.js";
export type * from "./types.js";
export { PHASES } from "./types.js";
