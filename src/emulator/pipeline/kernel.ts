import type { Operation, SpecModel } from "../../openapi/index.js";
import type { Validator } from "../../schema/index.js";
import type { AdjustableClock } from "../kit/clock.js";
import type { CommonSettings } from "../kit/config.js";
import type { EmuResponse, Logger, ProviderDefinition, ProviderRuntime, Reply } from "../kit/types.js";
import type { FaultTable } from "./faults.js";
import type { Journal } from "./journal.js";
import type { RateLimiter } from "./rate-limit.js";
import type { Redactor } from "./redact.js";
import type { Router } from "./router.js";

/** An operation with everything the hot path needs, prepared once at start-up. */
export interface CompiledOperation {
  operation: Operation;
  /** The JSON request body's validator, compiled at start-up. */
  validate: Validator | undefined;
  /** For large bodies: stops at the first problem (compiled on first use). */
  validateLarge: (() => Validator) | undefined;
  bodyRequired: boolean;
  /** Unauthenticated operations are the ones a browser calls (Cube's exchange): they answer CORS. */
  cors: boolean;
  /** Declared statuses, for steering and faults. */
  statuses: Set<number>;
}

/** The shared state of one emulator: what the pipeline and the control plane both work on. */
export interface Kernel {
  providerId: string;
  spec: SpecModel;
  definition: ProviderDefinition;
  runtime: ProviderRuntime;
  config: CommonSettings;
  clock: AdjustableClock;
  journal: Journal;
  faults: FaultTable;
  rateLimiter: RateLimiter | undefined;
  redactor: Redactor;
  logger: Logger;
  operations: Map<string, CompiledOperation>;
  router: Router;
  /** True while a socket listens beyond loopback: the control plane then demands the control token. */
  exposed: boolean;
  startedAt: number;
}

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" };

export function jsonResponse(status: number, body: unknown, headers?: Record<string, string>): EmuResponse {
  return {
    status,
    headers: headers ? { ...JSON_HEADERS, ...headers } : { ...JSON_HEADERS },
    body: body === undefined ? undefined : JSON.stringify(body),
  };
}

export function replyToResponse(reply: Reply, extraHeaders?: Record<string, string>): EmuResponse {
  if (reply.body === undefined) {
    return { status: reply.status, headers: { ...reply.headers, ...extraHeaders }, body: undefined };
  }
  return jsonResponse(reply.status, reply.body, { ...reply.headers, ...extraHeaders });
}

/** An error in the provider's own envelope, as its spec declares it. */
export function errorReply(kernel: Kernel, status: number, message: string, problems?: string[]): Reply {
  return { status, body: kernel.definition.envelope(status, message, problems) };
}

/** Back to the state at start-up: no sessions, users, journal, faults, rate windows or clock offset. */
export function resetKernel(kernel: Kernel): void {
  kernel.runtime.reset();
  kernel.journal.clear();
  kernel.faults.clear();
  kernel.rateLimiter?.reset();
  kernel.clock.reset();
}
