import type { SchemaEngine } from "../../schema/index.js";

/** Settings every provider shares; each provider adds its own keys beside them. */
export interface CommonSettings {
  /** Request bodies above this answer 413 in the provider's envelope. */
  bodyLimitBytes: number;
  /** How many requests the journal keeps (a ring buffer). */
  journalSize: number;
  /** Upper bound of `Prefer: delay=` and fault delays, so a caller cannot park a socket for long. */
  maxDelayMs: number;
  /** Required on every control-plane call when the server listens beyond loopback. */
  controlToken?: string;
  /** Per client IP, fixed window. Defaults to the spec's `x-embedkit-rate-limit`, off when absent. */
  rateLimit: { enabled: boolean; requests: number; windowSeconds: number };
  /** A client that has not sent its whole header block by then is answered 408 and dropped (slowloris). */
  headersTimeoutMs: number;
  /** The same for the whole request, body included; never below `headersTimeoutMs`. */
  requestTimeoutMs: number;
  /** Serve the spec's `x-embedkit-path-aliases` paths; absent = what each note's `enabled` says. */
  pathAliases?: boolean;
  /**
   * Host names answered besides loopback names and the bound address (`.example.com` allows every
   * name under it); any other `Host` is refused 403, against DNS rebinding.
   */
  allowedHosts: string[];
  /**
   * Bytes of state the provider may hold across sessions, users, revocations and the journal
   * (the spec's `x-embedkit-state-budget`); past it, expired entries go, then calls that would add
   * state answer the note's status.
   */
  stateBudgetBytes: number;
  /** The journal's share of the budget: oldest entries are dropped past it. */
  journalBytes: number;
  /** Per operation, per JSON pointer into the body: most bytes (over the spec's `x-embedkit-limits`). */
  requestLimits: Record<string, Record<string, number>>;
}

export const COMMON_DEFAULTS: CommonSettings = {
  bodyLimitBytes: 1024 * 1024,
  journalSize: 500,
  maxDelayMs: 10_000,
  rateLimit: { enabled: false, requests: 180, windowSeconds: 60 },
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  allowedHosts: [],
  stateBudgetBytes: 128 * 1024 * 1024,
  journalBytes: 8 * 1024 * 1024,
  requestLimits: {},
};

/** Every number in a config has a range: `1e13` seconds would pass `minimum: 1` and break every date. */
export const int = (minimum: number, maximum: number) => ({ type: "integer", minimum, maximum });

/** The longest lifetime of anything the providers make (sessions, tokens): ten years, in seconds. */
export const MAX_LIFETIME_SECONDS = 10 * 365 * 86_400;
export const lifetimeSeconds = int(1, MAX_LIFETIME_SECONDS);

export const COMMON_SCHEMA_PROPERTIES: Record<string, unknown> = {
  bodyLimitBytes: int(1, 64 * 1024 * 1024),
  journalSize: int(0, 100_000),
  maxDelayMs: int(0, 600_000),
  controlToken: { type: "string", minLength: 16 },
  rateLimit: {
    type: "object",
    additionalProperties: false,
    required: ["enabled", "requests", "windowSeconds"],
    properties: { enabled: { type: "boolean" }, requests: int(1, 1e9), windowSeconds: int(1, 86_400) },
  },
  headersTimeoutMs: int(100, 600_000),
  requestTimeoutMs: int(100, 3_600_000),
  pathAliases: { type: "boolean" },
  allowedHosts: {
    type: "array",
    maxItems: 100,
    items: { type: "string", minLength: 1, maxLength: 253, pattern: "^\\.?[A-Za-z0-9_.:\\[\\]-]+$" },
  },
  stateBudgetBytes: int(1024 * 1024, 64 * 1024 ** 3),
  journalBytes: int(0, 1024 ** 3),
  requestLimits: {
    type: "object",
    additionalProperties: {
      type: "object",
      propertyNames: { pattern: "^(/.*)?$" },
      additionalProperties: int(0, 64 * 1024 * 1024),
    },
  },
};

/** A config that cannot be used, with the path of the bad field and why. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * Deep merge for config layers (defaults ← file ← env ← flags): objects merge, arrays and scalars
 * replace. `__proto__`, `constructor` and `prototype` keys are ignored so a config file cannot pollute.
 */
export function mergeConfig<T>(base: T, override: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(override))
    return (override === undefined ? base : override) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (key === "__proto__" || key === "constructor" || key === "prototype") continue;
    if (value === undefined) continue;
    out[key] = mergeConfig(out[key], value);
  }
  return out as T;
}

/** Validates a merged config with the schema engine; throws ConfigError naming the first bad field. */
export function checkConfig(
  engine: SchemaEngine,
  providerSchema: Record<string, unknown>,
  config: unknown,
  root: string,
): void {
  const schema = {
    type: "object",
    additionalProperties: false,
    properties: { ...COMMON_SCHEMA_PROPERTIES, ...(providerSchema.properties as object) },
    required: [
      "bodyLimitBytes",
      "journalSize",
      "maxDelayMs",
      "rateLimit",
      "headersTimeoutMs",
      "requestTimeoutMs",
      ...((providerSchema.required as string[]) ?? []),
    ],
  };
  const problems = engine.validate(schema, config, root);
  const first = problems[0];
  if (first) throw new ConfigError(first.path, first.message);
}
