import type { Operation, SpecModel } from "../../openapi/index.js";
import type { Validator } from "../../schema/index.js";
import type { AdjustableClock } from "../kit/clock.js";
import type { CommonSettings } from "../kit/config.js";
import type { Store } from "../kit/store/index.js";
import type {
  EmbedRoute,
  EmuResponse,
  Logger,
  ProviderDefinition,
  ProviderRuntime,
  Reply,
} from "../kit/types.js";
import type { HostGuard } from "./host-guard.js";
import type { Journal } from "./journal.js";
import type { Redactor } from "./redact.js";
import type { RequestLimits } from "./request-limits.js";
import type { Router } from "./router.js";

/** An operation with everything the hot path needs, prepared once at start-up. */
export interface CompiledOperation {
  operation: Operation;
  /** The JSON request body's validator, compiled at start-up. */
  validate: Validator | undefined;
  /** For large bodies: stops at the first problem (compiled on first use). */
  validateLarge: (() => Validator) | undefined;
  bodyRequired: boolean;
  /**
   * Operations a browser calls answer CORS: the unauthenticated ones (Cube's exchange) and those the
   * spec marks `x-embedkit-browser` (the calls an embed SDK makes with the embed token).
   */
  cors: boolean;
  /** Declared statuses, for steering and faults. */
  statuses: Set<number>;
  /** Bytes each field may hold (x-embedkit-limits), undefined when the operation has none. */
  limits: RequestLimits | undefined;
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
  /** Everything that decides an answer: the provider's state, faults, rate windows, the clock offset. */
  store: Store;
  /** The answer while the store cannot be reached: the spec's x-embedkit-store-unavailable status. */
  outage: { status: number; where: string };
  redactor: Redactor;
  logger: Logger;
  operations: Map<string, CompiledOperation>;
  router: Router;
  /** The provider's consuming half (embed pages, scripts, token-consuming APIs), matched first. */
  embedRoutes: readonly EmbedRoute[];
  /** The two shares of the state budget (kit/budget.ts): the store's records and this process's journal. */
  budget: { limitBytes: number; storeBytes: number; journalBytes: number; processBytes: number };
  /** Which Host names are answered (loopback, the bound address, allowedHosts). */
  hostGuard: HostGuard;
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

/**
 * Back to the state at start-up: no sessions, users, journal, faults, rate windows or clock offset.
 * With Redis, only this provider's keys under this embedkit's prefix are cleared.
 */
export async function resetKernel(kernel: Kernel): Promise<void> {
  await kernel.store.reset();
  await kernel.runtime.reset();
  kernel.journal.clear();
  kernel.clock.sync(0);
}

/**
 * While the store (Redis) cannot be reached: the status the spec declares in its
 * x-embedkit-store-unavailable note, in the provider's envelope, with a Retry-After so clients back
 * off briefly instead of hammering.
 */
export function storeUnavailableReply(kernel: Kernel): Reply {
  const { status, where } = kernel.outage;
  const reply = errorReply(kernel, status, `embedkit's state store (${where}) is unavailable; retry shortly`);
  return { ...reply, headers: { "retry-after": "1" } };
}
