import {
  ConfigError,
  type DevCredentials,
  JweTokens,
  type ProviderDefinition,
  type ProviderRuntime,
} from "../../kit/index.js";
import { type ExploConfig, exploConfigSchema, exploDefaults } from "./defaults.js";
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

/** Explo's customer API call that mints an encrypted embed token. */
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
  async create({ config, clock }): Promise<ProviderRuntime> {
    if (!config.embedSecrets.some((s) => s.keyId === config.defaultKeyId)) {
      throw new ConfigError("config.defaultKeyId", "must be the keyId of one of config.embedSecrets");
    }
    const now = () => clock.now();
    const tokens = await JweTokens.create(keyBytes(config), now);
    const authorize = exploAuthorizer(config.apiTokens);
    return {
      handlers: exploHandlers(config, tokens, now),
      authorize: (_operation, headers) => authorize(headers["explo-authorization"]),
      reset: () => tokens.issued.clear(),
      state: async () => ({ embedSecrets: config.embedSecrets.map((s) => ({ keyId: s.keyId })) }),
      introspect: (token) => tokens.introspect(token),
      sweep: async () => {},
    };
  },
};
