import type { operations } from "../../../../generated/cube.js";
import type { HandlerInput, Reply } from "../../kit/index.js";
import { type JsonBody, success } from "../../kit/index.js";
import type { CubeApiKey, CubeConfig } from "./defaults.js";
import { cubeError } from "./errors.js";
import type { CubeStore } from "./store.js";
import type { CubeTokens } from "./tokens.js";

type GenerateSession = operations["generateSession"];
type Exchange = operations["postTokenBySessionId"];
type Revoke = operations["revokeSession"];
type GenerateBody = JsonBody<GenerateSession>;

/** Request fields carried into the token, only when the request gave them. */
const CLAIM_FIELDS = [
  "email",
  "internalId",
  "groups",
  "roles",
  "userAttributes",
  "securityContext",
  "settings",
  "embedTenantName",
  "tenantGroups",
  "creatorMode",
  "userProfile",
] as const satisfies readonly (keyof GenerateBody)[];

function duplicateAttributes(body: GenerateBody): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const { name } of body.userAttributes ?? []) (seen.has(name) ? dup : seen).add(name);
  return [...dup];
}

function claimsOf(body: GenerateBody, externalId: string | undefined): Record<string, unknown> {
  const claims: Record<string, unknown> = { deploymentId: body.deploymentId };
  if (externalId !== undefined) claims.externalId = externalId;
  for (const field of CLAIM_FIELDS)
    if (body[field] !== undefined && body[field] !== null) claims[field] = body[field];
  return claims;
}

/** The deployment checks of https://docs.cube.dev/api-reference/embed/generate-an-embed-session. */
function checkDeployment(config: CubeConfig, key: CubeApiKey, body: GenerateBody): Reply | undefined {
  const id = body.deploymentId;
  if (key.deployments && !key.deployments.includes(id)) {
    return cubeError(403, "This API key is scoped to other deployments");
  }
  const deployment = config.deployments.find((d) => d.id === id);
  if (!deployment) return cubeError(404, `Deployment not found: ${id}`);
  if (!deployment.embedding) return cubeError(403, `Embedding is not enabled for deployment ${id}`);
  if (typeof body.branchName === "string" && !deployment.branches.includes(body.branchName)) {
    return cubeError(404, `Branch not found: ${body.branchName.slice(0, 100)}`);
  }
  return undefined;
}

export function cubeHandlers(config: CubeConfig, store: CubeStore, tokens: CubeTokens) {
  const generateSession = async (input: HandlerInput<GenerateBody, CubeApiKey>): Promise<Reply> => {
    const { body } = input;
    const dups = duplicateAttributes(body);
    if (dups.length > 0) return cubeError(400, `Duplicate user attribute names: ${dups.join(", ")}`);
    const refused = checkDeployment(config, input.principal, body);
    if (refused) return refused;
    const externalId = typeof body.externalId === "string" ? body.externalId.trim().toLowerCase() : undefined;
    if (externalId === "") return cubeError(400, "externalId must not be empty");
    const outcome = await store.create(body.deploymentId, externalId, claimsOf(body, externalId));
    if ("limit" in outcome) {
      return outcome.limit === "users"
        ? cubeError(429, `The account has reached its limit of ${config.maxExternalUsers} external users`)
        : {
            ...cubeError(429, "Too many unexchanged sessions; exchange or let some expire"),
            headers: { "retry-after": "60" },
          };
    }
    return success<GenerateSession, 200>(200, { sessionId: outcome.session.id });
  };

  const postTokenBySessionId = async (input: HandlerInput<JsonBody<Exchange>>): Promise<Reply> => {
    // redeem() is an atomic take in the store (GETDEL in Redis): a race has one winner, across replicas too.
    const session = await store.redeem(input.body.sessionId);
    if (!session) return cubeError(401, "Session not found, already exchanged, revoked or expired");
    return success<Exchange, 200>(200, { token: await tokens.mint(session) });
  };

  const revokeSession = async (input: HandlerInput<JsonBody<Revoke>>): Promise<Reply> => {
    await store.revoke(input.body.sessionId);
    return { status: 204 };
  };

  return { generateSession, postTokenBySessionId, revokeSession };
}
