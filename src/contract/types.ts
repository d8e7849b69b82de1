import type { Operation, ResponseSpec, SpecModel } from "../openapi/index.js";

/** The five sources of cases, in the order a run sends them. */
export type Phase = "examples" | "positive" | "negative" | "auth" | "stateful";

export const PHASES: readonly Phase[] = ["examples", "positive", "negative", "auth", "stateful"];

/** A request as the engine builds it: path relative to the target's base URL, body already serialised. */
export interface WireRequest {
  method: string;
  /** Path and query, e.g. `/v1/embed/generate-session`. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface WireResponse {
  status: number;
  /** Lower-cased names. */
  headers: Record<string, string>;
  body: string;
  durationMs: number;
}

/**
 * What the engine demands of one response:
 * - `valid`: schema-valid input, so the service must accept it (or refuse on business grounds);
 * - `invalid`: input with exactly one known defect, so the service must answer 4xx;
 * - `unauthorized`: a missing or wrong credential, so the service must not answer 2xx;
 * - `refused`: a consumed credential used again, so the service must answer `status`;
 * - `available`: a resource an earlier step created, so the service must find it;
 * - `freed`: a resource an earlier step deleted, so the service must no longer find it.
 */
export type Expectation =
  | { kind: "valid" }
  | { kind: "available"; resource: string }
  | { kind: "freed"; resource: string }
  | { kind: "invalid"; defect: string }
  | { kind: "unauthorized"; defect: string }
  | { kind: "refused"; status: number; reason: string };

/** Earlier exchanges of the same case, for steps built from a previous response (OpenAPI links). */
export type StepBuilder = (previous: Exchange[]) => { request: WireRequest; bodyValue?: unknown } | undefined;

export interface Step {
  operationId: string;
  /** A fixed request, or one built from the earlier steps' exchanges. */
  request: WireRequest | StepBuilder;
  /** The parsed body, when the request has a JSON one (token claims compare against it). */
  bodyValue?: unknown;
  expect: Expectation;
  /** Later steps run only when this one was answered 2xx. */
  mustSucceed?: boolean;
}

export interface CaseOrigin {
  phase: Phase;
  /** Where exactly it came from: `example "minimal"`, `boundary body.name: maxLength`, ... */
  detail: string;
}

export interface Case {
  /** Stable within a seed: `<operationId>/<phase>/<n>`. */
  id: string;
  operationId: string;
  origin: CaseOrigin;
  steps: Step[];
  /** For a generated one-step case: how to rebuild it from a simpler value when it fails. */
  shrink?: Shrinkable;
}

export interface Shrinkable {
  /** The generated value the case was built from: its body, or the one parameter it varies. */
  value: unknown;
  /** Is a simpler value still a case of the same kind (valid for a positive case, invalid for a negative one)? */
  keep: (candidate: unknown) => boolean;
  /** The last step's request (fixed, or built from the earlier steps), and the parsed body, for a simpler value. */
  rebuild: (candidate: unknown) => Pick<Step, "request" | "bodyValue">;
}

/** One request and its answer (or the transport error that stood in for one). */
export interface Exchange {
  step: number;
  operationId: string;
  /** What the step demanded (`valid` requests are the ones success-path counts). */
  expect?: Expectation["kind"];
  request: WireRequest;
  bodyValue?: unknown;
  response?: WireResponse;
  error?: string;
}

export type Severity = "critical" | "high" | "medium" | "low";

/** One violation, as data: replayable from `request` (and from the run's seed with `caseId`). */
export interface Failure {
  /** A check id, or `transport` when no response came back (refused, reset, timed out). */
  check: string;
  severity: Severity;
  message: string;
  expected: string;
  actual: string;
  caseId: string;
  operationId: string;
  origin: CaseOrigin;
  step: number;
  request: WireRequest;
  response?: WireResponse;
}

/** A check's finding before the runner stamps the case on it. */
export interface Finding {
  message: string;
  expected: string;
  actual: string;
}

export type CheckStatus = "passed" | "failed" | "skipped";

export interface CheckResult {
  check: string;
  step: number;
  status: CheckStatus;
  /** Why a check was skipped, for the "not exercised" list. */
  reason?: string;
  /** Skipped because the run lacked an input (a token key), not because nothing applied. */
  missingInput?: boolean;
}

/** Secrets to open or verify tokens with, by `kid` or by name (`default` when the token has no kid). */
export type TokenKeys = Record<string, string>;

export interface CheckContext {
  spec: SpecModel;
  operation: Operation;
  exchange: Exchange;
  response: WireResponse;
  /** The declared response that the status code selects, if any. */
  declared?: ResponseSpec;
  expect: Expectation;
  previous: Exchange[];
  tokenKeys: TokenKeys;
  /** JSON body of the response, parsed once; `undefined` when it is not JSON. */
  json: () => unknown;
  validate: (schema: unknown, data: unknown, root?: string) => import("../schema/index.js").Problem[];
}

/** A skip that says why; `missingInput` when the run could have judged it with more input. */
export interface Skip {
  skip: string;
  missingInput?: boolean;
}

/** `undefined` or `[]`: passed; `"skip"` or a Skip: did not apply; findings: failed. */
export type CheckVerdict = Finding[] | "skip" | Skip | undefined;

/** What a whole run saw, for checks that judge the run rather than one response. */
export interface RunObservations {
  spec: SpecModel;
  operations: readonly Operation[];
  /** Check ids selected for the run. */
  checks: readonly string[];
  phases: readonly Phase[];
  /** Per operation: the schema-valid requests that got an answer, by status. */
  valid: ReadonlyMap<string, ValidOutcomes>;
  /** operationId → check id → tally, as in the summary. */
  table: Record<string, Record<string, import("./events.js").CheckTally>>;
  /** operationId → check id → skip reasons seen. */
  skips: ReadonlyMap<string, ReadonlyMap<string, SkipReasons>>;
}

export interface ValidOutcomes {
  sent: number;
  succeeded: number;
  /** status → how many, and the first message the service gave with it. */
  statuses: Map<number, { count: number; message: string }>;
  /** A valid request that did not succeed, to reproduce the finding. */
  sample?: { caseId: string; origin: CaseOrigin; exchange: Exchange };
}

export interface SkipReasons {
  reasons: Map<string, number>;
  /** True when some skip was for a missing input: with it, the check would have run. */
  missingInput: boolean;
  /** That input's reason ("needs --token-key …"), which "not exercised" prefers. */
  inputReason?: string;
}

/** A finding about the run, placed on the request that shows it best. */
export interface RunFinding extends Finding {
  operationId: string;
  sample?: ValidOutcomes["sample"];
}

export interface Check {
  id: string;
  severity: Severity;
  /** One line for --help and reports. */
  description: string;
  /** Judges one response; absent for checks that only judge the run. */
  run?: (ctx: CheckContext) => CheckVerdict | Promise<CheckVerdict>;
  /** Judges the whole run once every case has finished. */
  judgeRun?: (run: RunObservations) => RunFinding[];
}
