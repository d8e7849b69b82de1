/**
 * The one typed home of every `x-embedkit-*` note: our choices where a vendor publishes nothing,
 * written into the spec so the emulator, the contract checks and readers of the spec agree on them.
 *
 * Each note is ONE entry in `NOTES` below: its key, where in a document it may stand, the JSON
 * Schema its value must satisfy, the checks it asks the contract engine to run, and its TypeScript
 * type. `loadSpec` and `embedkit lint` validate every `x-embedkit-*` key of a document against this
 * table (an unknown key, a note in the wrong place or a bad value is reported with its JSON
 * pointer); the emulator and the contract engine read notes only through `readNote`, never a cast.
 *
 * To add a note: write its interface, add one `defineNote<YourType>({...})` entry to `NOTES`. That
 * is all: validation, lint and `readNote(NOTES.yourNote, extensions)` follow from the entry.
 */

/** Where a note may stand: the document (root or `info`), an operation, a response, a schema. */
export type NotePlace = "document" | "operation" | "response" | "schema";

export interface NoteDefinition<T> {
  /** The extension key, `x-embedkit-…`. */
  key: `x-embedkit-${string}`;
  places: readonly NotePlace[];
  /** One line for docs and `embedkit lint`. */
  description: string;
  /** JSON Schema 2020-12 of the value. */
  schema: Record<string, unknown>;
  /** Contract checks that must run at least once when the note is present (`success-path` says so). */
  checks?: readonly string[];
  /** The contract phase that exercises those checks (not demanded when a run leaves it out). */
  phase?: "stateful";
  /** Phantom: the value's type, for `readNote`. Never set. */
  readonly type?: T;
}

/** Identity with a type parameter: keeps each entry's value type beside its schema. */
export function defineNote<T>(definition: Omit<NoteDefinition<T>, "type">): NoteDefinition<T> {
  return definition;
}

const note = { type: "string", description: "Why: the vendor page, or GUESS and what we chose." };
const status = { type: "integer", minimum: 100, maximum: 599 };
const positive = { type: "integer", minimum: 1 };
/** An OpenAPI runtime expression, e.g. `$request.body#/sessionId`. */
const expression = { type: "string", pattern: "^\\$(request|response)\\.|^\\$(url|method|statusCode)$" };
/** What a note that makes a choice adds: the config key that changes it, and that it is a GUESS. */
const choice = { config: { type: "string", minLength: 1 }, guess: { const: true } };
const object = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: "object",
  properties: { ...properties, note, ...choice },
  required,
  additionalProperties: false,
});

/** A choice where the vendor is silent: the config key that changes it, and the GUESS mark. */
export interface ChoiceNote {
  config?: string;
  guess?: true;
  note?: string;
}

export interface RuleStatusesNote extends ChoiceNote {
  /** Rule → status, for refusals the vendor gives a message but no status for. */
  statuses: Record<string, number>;
  /**
   * Rule → a regular expression the refusal's message matches. A contract run does not count a
   * schema-valid request refused this way (that status, that message) as valid input refused:
   * the rule is one the schema cannot express.
   */
  messages?: Record<string, string>;
}

export interface PathAliasesNote extends ChoiceNote {
  /** Paths served as this same operation. */
  paths: string[];
  /** Served unless the config's `pathAliases` says otherwise. */
  enabled: boolean;
}

export interface DefaultChoiceNote extends ChoiceNote {
  default?: string;
  values?: string[];
  required?: boolean;
}

/** One row of the faithfulness ledger (scripts/ledger.ts). */
export interface LedgerRowNote {
  rule: string;
  source: string;
  spec: string[];
  kind: "documented" | "guess" | "fixed-guess";
  config?: string;
  test: string;
  why?: string;
}

/** The operation is called from a browser (an embed page or SDK): the emulator answers it with CORS. */
export interface BrowserNote {
  note?: string;
}

/** The pages and scripts a local provider serves beside its API for the browser (its consuming half). */
export interface EmbedPagesNote {
  note?: string;
  surfaces: string[];
  sources?: string[];
}

export interface TokenNote {
  /** JSON pointer of the token in the response body. */
  pointer: string;
  format: "jws" | "jwe";
  algorithms?: string[];
  encryption?: string[];
  issuer?: string;
  /** Runtime expression of the `kid` the token must carry. */
  kid?: string;
  /** Prose: which key signs or encrypts. */
  key?: string;
  lifetimeSeconds?: number;
  lifetime?: { duration?: string; defaultSeconds?: number };
  /** Claim name → runtime expression of the value it must carry. */
  claims?: Record<string, string>;
  /** Every claim a token may carry. */
  claimNames?: string[];
  note?: string;
}

export interface SingleUseNote {
  /** Runtime expression of the credential that may be used once. */
  credential?: string;
  /** The status of a second use. */
  status: number;
  note?: string;
}

export interface RateLimitNote {
  requests: number;
  windowSeconds: number;
  scope?: string;
  status?: number;
  note?: string;
}

export interface LintNote {
  /** Rule ids the spec switches off for itself. */
  allow: string[];
  why: string;
}

export interface StatusNote extends ChoiceNote {
  status: number;
}

export interface UserLimitNote extends StatusNote {
  maxExternalUsers: number;
}

export interface SessionLifetimeNote {
  seconds: number;
  note?: string;
}

export interface LimitsNote extends ChoiceNote {
  /** The status of a request over one of the limits. */
  status: number;
  /** JSON pointer into the request body (`""`: the whole body) → most bytes of its JSON. */
  maxBytes: Record<string, number>;
}

export interface StateBudgetNote extends ChoiceNote {
  /** Bytes a provider may hold: its store's records plus its journal's share. */
  bytes: number;
  /** The status of a call that would add state to a full budget. */
  status: number;
}

/** Permission groups (`dashboard`, `chart`, ...) → flags, plus a `note`. */
export type PermissionsDefaultNote = Record<string, unknown> & ChoiceNote;

/** Every note embedkit understands. One entry per note; see the module comment. */
export const NOTES = {
  sources: defineNote<string[]>({
    key: "x-embedkit-sources",
    places: ["document"],
    description: "the public vendor pages the spec is written from",
    schema: { type: "array", items: { type: "string", pattern: "^https?://" }, minItems: 1 },
  }),
  errorEnvelope: defineNote<string>({
    key: "x-embedkit-error-envelope",
    places: ["document"],
    description: "why the error body has the shape it has",
    schema: { type: "string", minLength: 1 },
  }),
  guess: defineNote<true>({
    key: "x-embedkit-guess",
    places: ["schema", "operation", "response"],
    description: "marks a schema or answer the vendor does not publish: our choice",
    schema: { const: true },
  }),
  lint: defineNote<LintNote>({
    key: "x-embedkit-lint",
    places: ["document"],
    description: "lint rules the spec switches off for itself, with the reason",
    schema: object({ allow: { type: "array", items: { type: "string" }, minItems: 1 }, why: note }, [
      "allow",
      "why",
    ]),
  }),
  rateLimit: defineNote<RateLimitNote>({
    key: "x-embedkit-rate-limit",
    places: ["document"],
    description: "the vendor's rate limit, which the emulator applies by default",
    schema: object({ requests: positive, windowSeconds: positive, scope: { type: "string" }, status }, [
      "requests",
      "windowSeconds",
    ]),
  }),
  userLimit: defineNote<UserLimitNote>({
    key: "x-embedkit-user-limit",
    places: ["operation"],
    description: "how many external users an account holds and the status of one too many",
    schema: object({ maxExternalUsers: positive, status }, ["maxExternalUsers", "status"]),
  }),
  singleUse: defineNote<SingleUseNote>({
    key: "x-embedkit-single-use",
    places: ["operation"],
    description: "the credential in the request may be used once; a second use gets `status`",
    schema: object({ credential: expression, status }, ["status"]),
    checks: ["single-use"],
    phase: "stateful",
  }),
  sessionLifetime: defineNote<SessionLifetimeNote>({
    key: "x-embedkit-session-lifetime",
    places: ["operation"],
    description: "seconds a session may wait before it is exchanged",
    schema: object({ seconds: positive }, ["seconds"]),
  }),
  storeUnavailable: defineNote<StatusNote>({
    key: "x-embedkit-store-unavailable",
    places: ["document"],
    description: "embedkit's own answer while its shared state store (Redis) cannot be reached",
    schema: object({ status }, ["status"]),
  }),
  limits: defineNote<LimitsNote>({
    key: "x-embedkit-limits",
    places: ["operation"],
    description: "most bytes each field of the request body may hold (config requestLimits)",
    schema: object(
      {
        status,
        maxBytes: {
          type: "object",
          propertyNames: { pattern: "^(/.*)?$" },
          additionalProperties: { type: "integer", minimum: 0 },
          minProperties: 1,
        },
      },
      ["status", "maxBytes"],
    ),
  }),
  stateBudget: defineNote<StateBudgetNote>({
    key: "x-embedkit-state-budget",
    places: ["document"],
    description: "bytes of state a local provider may hold, and the status once it is full",
    schema: object({ bytes: { type: "integer", minimum: 1048576 }, status }, ["bytes", "status"]),
  }),
  keyId: defineNote<StatusNote>({
    key: "x-embedkit-key-id",
    places: ["operation"],
    description: "the status of a request naming an unknown key id",
    schema: object({ status }, ["status"]),
  }),
  permissionsDefault: defineNote<PermissionsDefaultNote>({
    key: "x-embedkit-permissions-default",
    places: ["operation"],
    description: "the permissions a token carries when the request gives none",
    schema: {
      type: "object",
      properties: { note, ...choice },
      additionalProperties: { type: "object", additionalProperties: { type: "boolean" } },
    },
  }),
  browser: defineNote<BrowserNote>({
    key: "x-embedkit-browser",
    places: ["operation"],
    description: "a browser calls the operation (an embed page or SDK), so it answers CORS",
    schema: object({}),
  }),
  embedPages: defineNote<EmbedPagesNote>({
    key: "x-embedkit-embed-pages",
    places: ["document"],
    description: "the embed pages, scripts and token-consuming routes served beside the API",
    schema: object(
      {
        surfaces: { type: "array", items: { type: "string" }, minItems: 1 },
        sources: { type: "array", items: { type: "string" } },
      },
      ["surfaces"],
    ),
  }),
  token: defineNote<TokenNote>({
    key: "x-embedkit-token",
    places: ["response"],
    description: "the token the response carries: where, its format, key, lifetime and claims",
    schema: object(
      {
        pointer: { type: "string", pattern: "^(/.*)?$" },
        format: { enum: ["jws", "jwe"] },
        algorithms: { type: "array", items: { type: "string" }, minItems: 1 },
        encryption: { type: "array", items: { type: "string" }, minItems: 1 },
        issuer: { type: "string" },
        kid: expression,
        key: { type: "string" },
        lifetimeSeconds: positive,
        lifetime: {
          type: "object",
          properties: { duration: expression, defaultSeconds: positive },
          additionalProperties: false,
        },
        claims: { type: "object", additionalProperties: expression },
        claimNames: { type: "array", items: { type: "string" }, minItems: 1 },
      },
      ["pointer", "format"],
    ),
    checks: ["token-format", "token-lifetime", "token-claims"],
  }),
  emptyBody: defineNote<StatusNote>({
    key: "x-embedkit-empty-body",
    places: ["document"],
    description: "the status of an empty body where the request body is optional",
    schema: object({ status }, ["status"]),
  }),
  ruleStatuses: defineNote<RuleStatusesNote>({
    key: "x-embedkit-rule-statuses",
    places: ["operation"],
    description: "statuses of refusals the vendor documents by message only",
    schema: object(
      {
        statuses: { type: "object", additionalProperties: status },
        messages: { type: "object", additionalProperties: { type: "string", minLength: 1 } },
      },
      ["statuses"],
    ),
  }),
  identity: defineNote<ChoiceNote>({
    key: "x-embedkit-identity",
    places: ["operation"],
    description: "how the request must identify its end user",
    schema: object({}),
  }),
  deploymentId: defineNote<DefaultChoiceNote>({
    key: "x-embedkit-deployment-id",
    places: ["operation"],
    description: "whether deploymentId is required, and the older mode that omits it",
    schema: object({ required: { type: "boolean" } }, ["required"]),
  }),
  embedTenantName: defineNote<DefaultChoiceNote>({
    key: "x-embedkit-embed-tenant-name",
    places: ["schema"],
    description: "the pattern of embedTenantName against the docs' prose",
    schema: object({ default: { enum: ["spec", "prose"] } }),
  }),
  readOnly: defineNote<StatusNote>({
    key: "x-embedkit-read-only",
    places: ["operation"],
    description: "the status of a read-only credential where a read-write one is needed",
    schema: object({ status }, ["status"]),
  }),
  defaultKey: defineNote<ChoiceNote>({
    key: "x-embedkit-default-key",
    places: ["operation"],
    description: "the key used when the request names none",
    schema: object({}),
  }),
  issuerSlash: defineNote<DefaultChoiceNote>({
    key: "x-embedkit-issuer-slash",
    places: ["operation"],
    description: "whether the token's iss gets the trailing slash the vendor requires",
    schema: object({ default: { enum: ["append", "as-sent"] } }),
  }),
  pathAliases: defineNote<PathAliasesNote>({
    key: "x-embedkit-path-aliases",
    places: ["operation"],
    description: "other paths served as this same operation",
    schema: object(
      {
        paths: { type: "array", items: { type: "string", pattern: "^/" }, minItems: 1 },
        enabled: { type: "boolean" },
      },
      ["paths", "enabled"],
    ),
  }),
  closedEnum: defineNote<ChoiceNote>({
    key: "x-embedkit-closed-enum",
    places: ["schema"],
    description: "the enum is closed by our choice: other values are refused",
    schema: object({}),
  }),
  uri: defineNote<ChoiceNote>({
    key: "x-embedkit-uri",
    places: ["schema"],
    description: "the value must be a URI by our choice",
    schema: object({}),
  }),
  closedPermissions: defineNote<ChoiceNote>({
    key: "x-embedkit-closed-permissions",
    places: ["schema"],
    description: "the permissions shape is closed by our choice",
    schema: object({}),
  }),
  tokenFormat: defineNote<DefaultChoiceNote>({
    key: "x-embedkit-token-format",
    places: ["response"],
    description: "the token formats the emulator can mint, and its default",
    schema: object(
      { default: { enum: ["jws", "jwe"] }, values: { type: "array", items: { enum: ["jws", "jwe"] } } },
      ["default"],
    ),
  }),
  ledger: defineNote<LedgerRowNote[]>({
    key: "x-embedkit-ledger",
    places: ["document"],
    description: "the faithfulness ledger: one row per vendor rule (docs/ledger.md)",
    schema: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["rule", "source", "spec", "kind", "test"],
        properties: {
          rule: { type: "string", minLength: 1 },
          source: { type: "string", pattern: "^https://" },
          spec: { type: "array", items: { type: "string", pattern: "^/" }, minItems: 1 },
          kind: { enum: ["documented", "guess", "fixed-guess"] },
          config: { type: "string", minLength: 1 },
          test: { type: "string", minLength: 1 },
          why: { type: "string", minLength: 1 },
        },
      },
    },
  }),
} as const;

export type NoteName = keyof typeof NOTES;

export const NOTE_DEFINITIONS: readonly NoteDefinition<unknown>[] = Object.values(NOTES);

/**
 * A note's value from an object's extensions (an Operation's, a ResponseSpec's, a SpecModel's).
 * The cast is safe because `loadSpec` validated every note against its schema (see note-check.ts).
 */
export function readNote<T>(
  definition: NoteDefinition<T>,
  extensions: Record<string, unknown>,
): T | undefined {
  return extensions[definition.key] as T | undefined;
}
