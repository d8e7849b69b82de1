import type { operations } from "../../../../generated/cube.js";
import type { HandlerInput, Reply } from "../../kit/index.js";
import { budgetFullMessage, clip, type JsonBody, success } from "../../kit/index.js";
import type { CubeApiKey, CubeConfig, CubeStatuses } from "./defaults.js";
import { cubeError } from "./errors.js";
import { creatorRule, definitionsRule, type GenerateBody, identityRule, resolutionRule } from "./rules.js";
import type { CubeStore } from "./store.js";
import type { CubeTokens } from "./tokens.js";

type GenerateSession = operations["generateSession"];
type Exchange = operations["postTokenBySessionId"];
type Revoke = operations["revokeSession"];

/**
 * The session fields the token carries, only when the request gave them: every field a session
 * applies (the docs: settings are "signed into the session token"), none of the definitions, which
 * are upserts into the catalog. The spec's x-embedkit-token note lists exactly these claims.
 */
export const CLAIM_FIELDS = [
  "email",
  "internalId",
  "groups",
  "roles",
  "userAttributes",
  "securityContext",
  "settings",
  "embedTenantName",
  "embedTenantProfile",
  "tenantGroups",
  "creatorMode",
  "userProfile",
  "embedTheme",
  "isEphemeral",
  "publicDashboardId",
  "branchName",
] as const satisfies readonly (keyof GenerateBody)[];

function duplicateAttributes(body: GenerateBody): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const { name } of body.userAttributes ?? []) (seen.has(name) ? dup : seen).add(name);
  return [...dup];
}

function claimsOf(body: GenerateBody, deploymentId: number, externalId: string | undefined) {
  const claims: Record<string, unknown> = { deploymentId };
  if (externalId !== undefined) claims.externalId = externalId;
  for (const field of CLAIM_FIELDS)
    if (body[field] !== undefined && body[field] !== null) claims[field] = body[field];
  return claims;
}

/** The deployment checks of https://docs.cube.dev/api-reference/embed/generate-an-embed-session. */
function checkDeployment(
  config: CubeConfig,
  key: CubeApiKey,
  id: number,
  branch: unknown,
): Reply | undefined {
  if (key.deployments && !key.deployments.includes(id)) {
    return cubeError(403, "This API key is scoped to other deployments");
  }
  const deployment = config.deployments.find((d) => d.id === id);
  if (!deployment) return cubeError(404, `Deployment not found: ${id}`);
  if (!config.embeddingEnabled || !deployment.embedding) {
    return cubeError(403, `Embedding is not enabled for deployment ${id}`);
  }
  if (typeof branch === "string" && !deployment.branches.includes(branch)) {
    // "a name that isn't a branch of the deployment returns 404; a branch nothing is serving returns 400"
    if (deployment.idleBranches?.includes(branch)) {
      return cubeError(400, `Branch ${clip(branch, 100)} is not being served`);
    }
    return cubeError(404, `Branch not found: ${clip(branch, 100)}`);
  }
  return undefined;
}

/** Every rule of generate-session in Cube's order: guards, then the body, then the catalog. */
function refusal(
  config: CubeConfig,
  statuses: CubeStatuses,
  store: CubeStore,
  key: CubeApiKey,
  body: GenerateBody & { deploymentId: number },
  budgetFull: () => Reply,
) {
  const dups = duplicateAttributes(body);
  if (dups.length > 0) return cubeError(400, `Duplicate user attribute names: ${dups.join(", ")}`);
  const refused =
    checkDeployment(config, key, body.deploymentId, body.branchName) ??
    identityRule(body, config, statuses) ??
    creatorRule(body, config, statuses);
  if (refused) return refused;
  const tenant = body.creatorMode === true ? (body.embedTenantName ?? undefined) : undefined;
  const scope = store.catalog.scope(tenant);
  const added = definitionsRule(body, scope, statuses);
  if ("status" in added) return added;
  const unresolved = resolutionRule(body, scope, added, statuses);
  if (unresolved) return unresolved;
  if (tenant !== undefined && !store.catalog.define(tenant, added.groups, added.attributes)) {
    return budgetFull();
  }
  return undefined;
}

export function cubeHandlers(
  config: CubeConfig,
  statuses: CubeStatuses,
  store: CubeStore,
  tokens: CubeTokens,
  budgetStatus: number,
) {
  /** The state budget is full (x-embedkit-state-budget): nothing was kept. */
  const budgetFull = (): Reply => ({
    ...cubeError(budgetStatus, budgetFullMessage(config.stateBudgetBytes)),
    headers: { "retry-after": "60" },
  });

  /** `requestBody.required: false` as in Cube's spec; an empty body reads as `{}` (x-embedkit-empty-body). */
  const emptyBody = (field: string) =>
    cubeError(statuses.emptyBody, `body: must have required property '${field}'`);

  const generateSession = async (
    input: HandlerInput<JsonBody<GenerateSession>, CubeApiKey>,
  ): Promise<Reply> => {
    const body: GenerateBody = input.body ?? {};
    // The older mode (x-embedkit-deployment-id): a body without deploymentId uses the default one.
    const deploymentId =
      body.deploymentId ?? (config.requireDeploymentId ? undefined : config.defaultDeploymentId);
    if (deploymentId === undefined) return emptyBody("deploymentId");
    const refused = refusal(config, statuses, store, input.principal, { ...body, deploymentId }, budgetFull);
    if (refused) return refused;
    const externalId = typeof body.externalId === "string" ? body.externalId.trim().toLowerCase() : undefined;
    if (externalId === "") return cubeError(400, "externalId must not be empty");
    const outcome = await store.create(deploymentId, externalId, claimsOf(body, deploymentId, externalId));
    if ("limit" in outcome) {
      if (outcome.limit === "budget") return budgetFull();
      return outcome.limit === "users"
        ? cubeError(
            statuses.userLimit,
            `The account has reached its limit of ${config.maxExternalUsers} external users`,
          )
        : {
            ...cubeError(429, "Too many unexchanged sessions; exchange or let some expire"),
            headers: { "retry-after": "60" },
          };
    }
    return success<GenerateSession, 200>(200, { sessionId: outcome.session.id });
  };

  const postTokenBySessionId = async (input: HandlerInput<JsonBody<Exchange>>): Promise<Reply> => {
    if (input.body === undefined) return emptyBody("sessionId");
    // redeem() is an atomic take in the store (GETDEL in Redis): a race has one winner, across replicas too.
    const session = await store.redeem(input.body.sessionId);
    if (!session) return cubeError(401, "Session not found, already exchanged, revoked or expired");
    return success<Exchange, 200>(200, { token: await tokens.mint(session) });
  };

  /** "Returns 403 if embedding isn't enabled for the account"; otherwise 204, whatever the id. */
  const revokeSession = async (input: HandlerInput<JsonBody<Revoke>>): Promise<Reply> => {
    if (input.body === undefined) return emptyBody("sessionId");
    const deploymentId = await store.deploymentOf(input.body.sessionId);
    const deployment = config.deployments.find((d) => d.id === deploymentId);
    if (!config.embeddingEnabled || deployment?.embedding === false) {
      return cubeError(403, "Embedding is not enabled for this account");
    }
    if (!(await store.revoke(input.body.sessionId))) return budgetFull();
    return { status: 204 };
  };

  return { generateSession, postTokenBySessionId, revokeSession };
}
