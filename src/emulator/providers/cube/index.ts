import {
  type DevCredentials,
  NOTES,
  type ProviderDefinition,
  type ProviderRuntime,
  readNote,
  type SpecModel,
} from "../../kit/index.js";
import { CubeApiTokens } from "./api-tokens.js";
import { cubeAuthorizer } from "./auth.js";
import {
  type CubeConfig,
  type CubeStatuses,
  cubeConfigSchema,
  cubeDefaults,
  STATUS_KEYS,
} from "./defaults.js";
import { cubeEmbedRoutes } from "./embed-pages.js";
import { cubeEnvelope } from "./errors.js";
import { cubeHandlers } from "./handlers.js";
import { cubeSdkHandlers } from "./sdk-handlers.js";
import { CubeStore } from "./store.js";
import { CubeTokens } from "./tokens.js";

export type { CubeApiKey, CubeConfig, CubeDeployment, CubeSettings } from "./defaults.js";

const b64url = (text: string) => Buffer.from(text, "utf8").toString("base64url");

/**
 * The statuses Cube publishes no number for: the spec's x-embedkit-rule-statuses and
 * x-embedkit-user-limit notes, then the config's `statuses` over them.
 */
export function cubeStatuses(spec: SpecModel, config: CubeConfig): CubeStatuses {
  const op = spec.operations.find((o) => o.id === "generateSession");
  const rules = op ? readNote(NOTES.ruleStatuses, op.extensions) : undefined;
  const limit = op ? readNote(NOTES.userLimit, op.extensions) : undefined;
  const fromSpec = { ...rules?.statuses, ...(limit?.status ? { userLimit: limit.status } : {}) };
  const given: Partial<CubeStatuses> = { ...fromSpec, ...config.statuses };
  // A spec without the notes still gets a status for every rule: 400, as Cube's validation answers.
  return Object.fromEntries(STATUS_KEYS.map((k) => [k, given[k] ?? 400])) as unknown as CubeStatuses;
}

/** The older mode (x-embedkit-deployment-id): a body without deploymentId gets the default one. */
function legacyDeployment(config: CubeConfig) {
  return (operationId: string, body: unknown): unknown => {
    if (config.requireDeploymentId || operationId !== "generateSession") return body;
    if (body === null || typeof body !== "object" || Array.isArray(body) || "deploymentId" in body)
      return body;
    return { ...body, deploymentId: config.defaultDeploymentId };
  };
}

/** Operations the Embed SDK calls with `Authorization: Embed-Token <token>`. */
const acceptsEmbedToken = (operation: Parameters<ProviderRuntime["authorize"]>[0]) =>
  operation.security.some((alt) => alt.some((scheme) => scheme.name === EMBED_TOKEN_SCHEME));
const EMBED_TOKEN_SCHEME = "embedTokenAuth";

/**
 * Cube Cloud's signed embedding: generate-session, the one-time exchange, revoke; the embed iframe
 * surfaces and the calls they and the Embed SDK make with the embed token.
 */
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
    ...config.dashboards.map(
      (d) =>
        `dashboard ${d.publicId} (deployment ${d.deploymentId}, signed embedding ${d.allowEmbed ? "allowed" : "not allowed"}): /embed/dashboard/${d.publicId}?session=<sessionId>`,
    ),
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
  async create({ config, clock, spec, store: shared, processBudgetBytes }): Promise<ProviderRuntime> {
    const store = new CubeStore(
      shared,
      clock,
      {
        sessionTtlMs: config.sessionTtlSeconds * 1000,
        tokenTtlMs: config.tokenTtlSeconds * 1000,
        maxUsers: config.maxExternalUsers,
        maxSessions: config.maxActiveSessions,
      },
      config,
      processBudgetBytes,
    );
    const tokens = await CubeTokens.create(
      config.embedSecret,
      store,
      () => clock.now(),
      config.tokenTtlSeconds,
    );
    const apiTokens = CubeApiTokens.create(config.embedSecret, () => clock.now());
    const authorize = cubeAuthorizer(config.apiKeys, tokens);
    return {
      handlers: {
        ...cubeHandlers(
          config,
          cubeStatuses(spec, config),
          store,
          tokens,
          readNote(NOTES.stateBudget, spec.extensions)?.status ?? 429,
        ),
        ...cubeSdkHandlers(config, apiTokens),
      },
      prepareBody: legacyDeployment(config),
      authorize: (operation, headers) =>
        operation.security.length === 0
          ? { principal: undefined }
          : authorize(headers.authorization, acceptsEmbedToken(operation)),
      reset: () => {
        store.catalog.reset();
        tokens.issued.clear();
      },
      state: () => store.snapshot(),
      heldBytes: () => ({ catalog: store.catalog.bytes }),
      introspect: (token) => tokens.introspect(token),
      sweep: () => store.sweep(),
      embed: cubeEmbedRoutes(),
    };
  },
};
