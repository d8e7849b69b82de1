import {
  ConfigError,
  type DevCredentials,
  JweTokens,
  NOTES,
  type ProviderDefinition,
  type ProviderRuntime,
  readNote,
  type SpecModel,
} from "../../kit/index.js";
import { type ExploConfig, type ExploStatuses, exploConfigSchema, exploDefaults } from "./defaults.js";
import { exploEmbedRoutes } from "./embed-pages.js";
import { exploEnvelope } from "./errors.js";
import { exploAuthorizer, exploHandlers } from "./handlers.js";

export type { ExploApiToken, ExploConfig, ExploEmbedSecret, ExploSettings } from "./defaults.js";

function keyBytes(config: ExploConfig): [string, Uint8Array][] {
  return config.embedSecrets.map((s, i) => {
    const bytes = new TextEncoder().encode(s.secret);
    if (bytes.length !== 32) {
      throw new ConfigError(
        `config.embedSecrets[${i}].secret`,
        `must be exactly 32 bytes, got ${bytes.length}`,
      );
    }
    return [s.keyId, bytes];
  });
}

/** The spec's x-embedkit-key-id and x-embedkit-read-only statuses, then the config's `statuses` over them. */
export function exploStatuses(spec: SpecModel, config: ExploConfig): ExploStatuses {
  const op = spec.operations.find((o) => o.id === "generateJwt");
  const keyId = op ? readNote(NOTES.keyId, op.extensions) : undefined;
  const readOnly = op ? readNote(NOTES.readOnly, op.extensions) : undefined;
  return {
    unknownKeyId: config.statuses?.unknownKeyId ?? keyId?.status ?? 404,
    readOnlyToken: config.statuses?.readOnlyToken ?? readOnly?.status ?? 403,
  };
}

/** Explo's customer API call that mints an encrypted embed token; the iframe and web component that show it. */
export const provider: ProviderDefinition<ExploConfig> = {
  id: "explo",
  defaults: exploDefaults as () => ExploConfig,
  configSchema: exploConfigSchema,
  envelope: exploEnvelope,
  devCredentials: (config): DevCredentials => {
    const writer = config.apiTokens.find((t) => !t.readOnly);
    return {
      auth: writer ? { exploToken: `Token ${writer.token}` } : {},
      tokenKeys: Object.fromEntries(
        keyBytes(config).map(([kid, b]) => [kid, `base64url:${Buffer.from(b).toString("base64url")}`]),
      ),
    };
  },
  banner: (config) => [
    ...config.apiTokens.map(
      (t) => `Explo-Authorization: Token ${t.token}   ${t.readOnly ? "read-only" : "read-write"}`,
    ),
    ...config.embedSecrets.map(
      (s) =>
        `embed secret key_id ${s.keyId}${s.keyId === config.defaultKeyId ? " (default)" : ""}: ${s.secret}`,
    ),
    `rate limit: ${config.rateLimit.enabled ? `${config.rateLimit.requests} per ${config.rateLimit.windowSeconds} s per IP` : "off"}`,
  ],
  redaction: { headers: ["explo-authorization"] },
  help: ["explo rate-limits 180 requests a minute per IP, as Explo does (--no-rate-limit switches it off)"],
  secretsOf: (config) => [
    ...config.apiTokens.map((t) => t.token),
    ...config.embedSecrets.map((s) => s.secret),
  ],
  async create({ config, clock, spec }): Promise<ProviderRuntime> {
    if (!config.embedSecrets.some((s) => s.keyId === config.defaultKeyId)) {
      throw new ConfigError("config.defaultKeyId", "must be the keyId of one of config.embedSecrets");
    }
    const now = () => clock.now();
    const tokens = await JweTokens.create(keyBytes(config), now);
    const statuses = exploStatuses(spec, config);
    const authorize = exploAuthorizer(config.apiTokens, statuses);
    return {
      handlers: exploHandlers(config, statuses, tokens, now),
      authorize: (_operation, headers) => authorize(headers["explo-authorization"]),
      reset: () => tokens.issued.clear(),
      state: async () => ({ embedSecrets: config.embedSecrets.map((s) => ({ keyId: s.keyId })) }),
      introspect: (token) => tokens.introspect(token),
      sweep: async () => {},
      embed: exploEmbedRoutes((token) => tokens.introspect(token)),
    };
  },
};
