import type { Operation, SpecModel } from "../../openapi/index.js";
import type { IntrospectResult } from "../../tokens/index.js";
import type { Store } from "./store/index.js";

export type { IntrospectReason, IntrospectResult } from "../../tokens/index.js";

/** Milliseconds since the epoch. Injected so that expiry is tested by moving time, never by sleeping. */
export interface Clock {
  now(): number;
}

export type LogLevel = "debug" | "info" | "warn" | "error";

/** Structured logging; fields are flat values. Secrets never reach a logger (see pipeline/redact.ts). */
export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, string | number | boolean>): void;
  /** Whether a line at `level` would be written; lets the hot path skip building it. */
  enabled?(level: LogLevel): boolean;
}

/** A request as the pipeline sees it, whether it came from a socket or from `fetch(request)`. */
export interface EmuRequest {
  method: string;
  /** The path without the query string, still percent-encoded. */
  path: string;
  query: string;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string | undefined>;
  body: Buffer | undefined;
  remoteAddress: string;
  /** Set when the body was larger than the limit and was not read to its end. */
  bodyTooLarge?: boolean;
}

export interface EmuResponse {
  status: number;
  headers: Record<string, string>;
  /** Serialised JSON, or undefined for an empty body. */
  body: string | undefined;
}

/** What a handler or an authorizer answers with; the pipeline serialises it. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface HandlerInput<Body = unknown, Principal = unknown> {
  body: Body;
  /** The path's template parameters (`{publicId}`), percent-decoded. */
  params: Record<string, string>;
  headers: EmuRequest["headers"];
  remoteAddress: string;
  operation: Operation;
  /** What the provider's `authorize` returned for this request. */
  principal: Principal;
}

// biome-ignore lint/suspicious/noExplicitAny: handlers are typed per operation in each provider.
export type Handler = (input: HandlerInput<any, any>) => Reply | Promise<Reply>;

/** Either a principal for the handler, or the reply that refuses the request (401/403). */
export type AuthOutcome = { principal: unknown } | { reply: Reply };

/** One provider's live state and behaviour, built from its config at start-up. */
export interface ProviderRuntime {
  /** Keyed by operationId; an operation without a handler answers 501 in the envelope. */
  handlers: Record<string, Handler>;
  /**
   * Adjusts a parsed body before it is validated, for a documented older behaviour the current
   * schema no longer admits (Cube's optional `deploymentId`). Most providers have none.
   */
  prepareBody?(operationId: string, body: unknown): unknown;
  /** Runs before body validation, as NestJS guards run before pipes: no credential → 401, not 400. */
  authorize(operation: Operation, headers: EmuRequest["headers"]): AuthOutcome | Promise<AuthOutcome>;
  /** Forgets what the provider keeps in the process (the store itself is reset by the pipeline). */
  reset(): void | Promise<void>;
  /** Sessions, users, counters; never a secret. */
  state(): Promise<Record<string, unknown>>;
  /** Bytes held in this process beside the store, by kind, for the state budget's snapshot. */
  heldBytes?(): Record<string, number>;
  introspect(token: string): Promise<IntrospectResult>;
  /** Drops expired entries, so memory stays bounded on a server left running for days. */
  sweep(): Promise<void>;
  /** The consuming half: embed pages, scripts and token-consuming APIs outside the spec. */
  embed?: readonly EmbedRoute[];
}

export interface ProviderContext<C> {
  config: C;
  clock: Clock;
  /** Where the provider keeps every piece of state that decides an answer (memory or Redis). */
  store: Store;
  spec: SpecModel;
  logger: Logger;
  /**
   * Bytes the provider may hold in its process beside the store (its share of the state budget,
   * kit/budget.ts); what would pass it is refused with the x-embedkit-state-budget status.
   */
  processBudgetBytes: number;
}

/** The credentials a client needs, keyed by the spec's security scheme names, plus token keys. */
export interface DevCredentials {
  /** securitySchemeName → the whole header value, e.g. apiKeyAuth → "Api-Key ek_cube_admin_dev". */
  auth: Record<string, string>;
  /**
   * Key id (or "default" for tokens without one) → "base64url:<raw key bytes>": what verifies or
   * decrypts the provider's tokens, in the form `embedkit test --token-key` and runContract take.
   */
  tokenKeys: Record<string, string>;
}

/** What a provider adds to the rules every provider's journal, logs and errors are redacted by. */
export interface RedactionRules {
  /** Request headers that carry its credentials (lower case), e.g. `explo-authorization`. */
  headers?: readonly string[];
  /** Whole string values that are credentials wherever they appear, e.g. Cube's 32-hex session ids. */
  values?: readonly RegExp[];
}

/** An environment variable `embedkit mock` reads into one of the provider's config keys. */
export interface EnvSetting {
  /** Appended to `EMBEDKIT_<ID>_`: `EMBED_SECRET` is read from `EMBEDKIT_CUBE_EMBED_SECRET`. */
  suffix: string;
  /** The top-level config key it sets. */
  key: string;
  /** For `embedkit mock --help`. */
  description: string;
}

/** What every providers/<id>/index.ts exports as `provider`. */
export interface ProviderDefinition<C extends object = object> {
  id: string;
  /** Dev defaults: keys, deployments, secrets. Printed at start-up, overridable. */
  defaults(): C;
  /** JSON Schema of the provider's own config keys (the common ones are added by the server). */
  configSchema: Record<string, unknown>;
  /** The error body the spec declares for this provider. */
  envelope(status: number, message: string, problems?: string[]): unknown;
  devCredentials(config: C): DevCredentials;
  /** Config values that must never be logged or journaled. */
  secretsOf(config: C): string[];
  create(ctx: ProviderContext<C>): Promise<ProviderRuntime> | ProviderRuntime;
  /** Lines `embedkit mock` prints at start-up: how to call the provider (credentials included). */
  banner(config: C): string[];
  /** Its credential headers and secret value shapes, beyond the rules every provider shares. */
  redaction?: RedactionRules;
  /** Environment variables of its own, beside EMBEDKIT_<ID>_PORT and EMBEDKIT_<ID>_CONFIG. */
  env?: readonly EnvSetting[];
  /** Lines for `embedkit mock --help` that only this provider needs (a default it differs in). */
  help?: readonly string[];
}

/** A request to a route of a provider's consuming half (see EmbedRoute). */
export interface EmbedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: EmuRequest["headers"];
  body: Buffer | undefined;
  /** The pattern's capture groups, percent-decoded. */
  params: string[];
}

/**
 * A route of the browser-facing ("consuming") half of a provider: embed pages, web-component scripts
 * and token-consuming APIs the spec does not describe. It runs in the same pipeline as the spec's
 * operations: same clock, journal (by `id`) and faults (`POST /__embedkit/faults {operationId: id}`).
 */
export interface EmbedRoute {
  /** Names the route in the journal and for faults; never an operationId of the spec. */
  id: string;
  /** Methods answered; others get 405. OPTIONS is answered by the route itself when listed. */
  methods: readonly string[];
  /** Matched against the path as sent (still percent-encoded), anchored. */
  pattern: RegExp;
  /** Statuses the route itself answers, so a fault may inject them (500, 502, 503, 504 always may). */
  statuses: readonly number[];
  handle(req: EmbedRequest): EmuResponse | Promise<EmuResponse>;
}
