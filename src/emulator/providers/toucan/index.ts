import {
  ConfigError,
  type DevCredentials,
  NOTES,
  type ProviderDefinition,
  type ProviderRuntime,
  readNote,
  type SpecModel,
} from "../../kit/index.js";
import { type ToucanConfig, toucanConfigSchema, toucanDefaults } from "./defaults.js";
import { toucanEmbedRoutes } from "./embed-api.js";
import { toucanEnvelope } from "./errors.js";
import { toucanAuthorizer, toucanHandlers } from "./handlers.js";
import { ToucanTokens } from "./tokens.js";

export type { ToucanApiKey, ToucanConfig, ToucanSettings } from "./defaults.js";

function keyBytes(config: ToucanConfig): [string, Uint8Array][] {
  return config.apiKeys.map((k, i) => {
    const bytes = Buffer.from(k.keyMaterial, "base64url");
    if (bytes.length !== 32) {
      throw new ConfigError(
        `config.apiKeys[${i}].keyMaterial`,
        `must decode to 32 bytes, got ${bytes.length}`,
      );
    }
    return [k.keyId, new Uint8Array(bytes)];
  });
}

/** The spec's x-embedkit-permissions-default, without what describes the note. */
function specPermissions(spec: SpecModel): Record<string, unknown> {
  const op = spec.operations.find((o) => o.id === "generateToken");
  const raw = op ? readNote(NOTES.permissionsDefault, op.extensions) : undefined;
  const { note: _note, config: _config, guess: _guess, ...permissions } = raw ?? {};
  return permissions;
}

/** Toucan AI's server-side call that mints an embed token; the web components and API that use it. */
export const provider: ProviderDefinition<ToucanConfig> = {
  id: "toucan",
  defaults: toucanDefaults as () => ToucanConfig,
  configSchema: toucanConfigSchema,
  envelope: toucanEnvelope,
  devCredentials: (config): DevCredentials => {
    const active = config.apiKeys.find((k) => !k.disabled);
    return {
      auth: active ? { toucanApiKey: active.key } : {},
      tokenKeys: Object.fromEntries(config.apiKeys.map((k) => [k.keyId, `base64url:${k.keyMaterial}`])),
    };
  },
  banner: (config) =>
    config.apiKeys.map(
      (k) =>
        `x-api-key: ${k.key}   ${k.disabled ? "disabled" : "active"}, kid ${k.keyId}, key (base64url) ${k.keyMaterial}, authorized origins: ${(k.authorizedOrigins ?? []).join(" ") || "none"}`,
    ),
  redaction: { headers: ["x-api-key"] },
  secretsOf: (config) => config.apiKeys.flatMap((k) => [k.key, k.keyMaterial]),
  async create({ config, clock, spec }): Promise<ProviderRuntime> {
    const now = () => clock.now();
    const tokens = await ToucanTokens.create(config.tokenFormat, keyBytes(config), now);
    const permissions = config.defaultPermissions ?? specPermissions(spec);
    const authorize = toucanAuthorizer(config.apiKeys);
    return {
      handlers: toucanHandlers(tokens, now, config.tokenTtlSeconds, permissions),
      authorize: (_operation, headers) => authorize(headers["x-api-key"]),
      reset: () => tokens.clear(),
      state: async () => ({
        apiKeys: config.apiKeys.map((k) => ({ keyId: k.keyId, org: k.org, disabled: k.disabled ?? false })),
      }),
      introspect: (token) => tokens.introspect(token),
      sweep: async () => {},
      embed: toucanEmbedRoutes(config.apiKeys, (token) => tokens.introspect(token)),
    };
  },
};
