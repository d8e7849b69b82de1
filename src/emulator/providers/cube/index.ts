import type { DevCredentials, ProviderDefinition, ProviderRuntime } from "../../kit/index.js";
import { cubeAuthorizer } from "./auth.js";
import { type CubeConfig, cubeConfigSchema, cubeDefaults } from "./defaults.js";
import { cubeEnvelope } from "./errors.js";
import { cubeHandlers } from "./handlers.js";
import { CubeStore } from "./store.js";
import { CubeTokens } from "./tokens.js";

export type { CubeApiKey, CubeConfig, CubeDeployment, CubeSettings } from "./defaults.js";

const b64url = (text: string) => Buffer.from(text, "utf8").toString("base64url");

/** Cube Cloud's signed embedding: generate-session, the one-time exchange, revoke. */
export const provider: ProviderDefinition<CubeConfig> = {
  id: "cube",
  defaults: cubeDefaults as () => CubeConfig,
  configSchema: cubeConfigSchema,
  envelope: cubeEnvelope,
  devCredentials: (config): DevCredentials => {
    const admin = config.apiKeys.find((k) => k.admin && !k.deployments) ?? config.apiKeys[0];
    return {
      auth: admin ? { apiKeyAuth: `Api-Key ${admin.key}`, bearerAuth: `Bearer ${admin.key}` } : {},
      // Cube's tokens carry no kid: the one HMAC key is the default.
      tokenKeys: { default: `base64url:${b64url(config.embedSecret)}` },
    };
  },
  banner: (config) => [
    ...config.apiKeys.map((k) => {
      const role = k.admin ? "admin" : "member (not admin)";
      const scope = k.deployments ? `, deployments ${k.deployments.join(", ")} only` : "";
      return `Authorization: Api-Key ${k.key}   ${role}${scope}`;
    }),
    `deployments: ${config.deployments.map((d) => `${d.id} (embedding ${d.embedding ? "on" : "off"})`).join(", ")}`,
    `embed secret (HS256): ${config.embedSecret}`,
  ],
  secretsOf: (config) => [config.embedSecret, ...config.apiKeys.map((k) => k.key)],
  // A session id is a credential: it is redeemed for a token (once).
  redaction: { values: [/^[0-9a-f]{32}$/] },
  env: [
    {
      suffix: "EMBED_SECRET",
      key: "embedSecret",
      description: "the HS256 secret its tokens are signed with",
    },
  ],
  async create({ config, clock, store: shared }): Promise<ProviderRuntime> {
    const store = new CubeStore(shared, clock, {
      sessionTtlMs: config.sessionTtlSeconds * 1000,
      tokenTtlMs: config.tokenTtlSeconds * 1000,
      maxUsers: config.maxExternalUsers,
      maxSessions: config.maxActiveSessions,
    });
    const tokens = await CubeTokens.create(
      config.embedSecret,
      store,
      () => clock.now(),
      config.tokenTtlSeconds,
    );
    const authorize = cubeAuthorizer(config.apiKeys, tokens);
    return {
      handlers: cubeHandlers(config, store, tokens),
      authorize: (operation, headers) =>
        operation.security.length === 0 ? { principal: undefined } : authorize(headers.authorization),
      reset: () => tokens.issued.clear(),
      state: () => store.snapshot(),
      introspect: (token) => tokens.introspect(token),
      sweep: () => store.sweep(),
    };
  },
};
