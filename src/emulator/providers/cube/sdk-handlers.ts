import type { operations } from "../../../../generated/cube.js";
import type { HandlerInput, Reply } from "../../kit/index.js";
import { type JsonBody, success } from "../../kit/index.js";
import type { CubeApiTokens } from "./api-tokens.js";
import { type CubePrincipal, isEmbedPrincipal } from "./auth.js";
import type { CubeConfig, CubeDeployment } from "./defaults.js";
import { cubeError } from "./errors.js";

type GetDashboard = operations["getEmbedDashboard"];
type GetDeployment = operations["getDeployment"];
type DeploymentToken = operations["deploymentToken"];

const DEFAULT_API_TOKEN_SECONDS = 86_400;

/**
 * The deployment a principal may read: an embed token only its own (403 otherwise), an admin key
 * those it is scoped to. Unknown ids are 404.
 */
function readableDeployment(
  config: CubeConfig,
  principal: CubePrincipal,
  id: number,
): CubeDeployment | Reply {
  const deployment = config.deployments.find((d) => d.id === id);
  if (isEmbedPrincipal(principal)) {
    if (principal.embed.deploymentId !== id) {
      return cubeError(403, `This embed token was minted for deployment ${principal.embed.deploymentId}`);
    }
  } else if (principal.deployments && !principal.deployments.includes(id)) {
    return cubeError(403, "This API key is scoped to other deployments");
  }
  return deployment ?? cubeError(404, `Deployment not found: ${id}`);
}

/**
 * What the Embed SDK and the embed iframe call with the embed token after the exchange
 * (https://github.com/cubedevinc/cube-agent-examples, antd-cube-embed-sdk/src/App.tsx).
 */
export function cubeSdkHandlers(config: CubeConfig, apiTokens: CubeApiTokens) {
  const getEmbedDashboard = (input: HandlerInput<undefined, CubePrincipal>): Reply => {
    const publicId = input.params.publicId ?? "";
    const dashboard = config.dashboards.find((d) => d.publicId === publicId);
    const p = input.principal;
    const visible =
      dashboard !== undefined &&
      (isEmbedPrincipal(p)
        ? p.embed.deploymentId === dashboard.deploymentId
        : !p.deployments || p.deployments.includes(dashboard.deploymentId));
    if (!dashboard || !visible) return cubeError(404, `Dashboard not found: ${publicId.slice(0, 100)}`);
    if (!dashboard.allowEmbed) {
      return cubeError(403, `Signed embedding is not allowed for dashboard ${dashboard.publicId}`);
    }
    return success<GetDashboard, 200>(200, { ...dashboard });
  };

  const getDeployment = (input: HandlerInput<undefined, CubePrincipal>): Reply => {
    const id = Number(input.params.deploymentId);
    const found = readableDeployment(config, input.principal, id);
    if ("status" in found) return found;
    return success<GetDeployment, 200>(200, {
      id: found.id,
      name: found.name ?? `Deployment ${found.id}`,
      deploymentUrl: found.deploymentUrl ?? `https://deployment-${found.id}.embedkit.invalid`,
      creationStep: "done",
    });
  };

  const deploymentToken = async (
    input: HandlerInput<JsonBody<DeploymentToken> | undefined, CubePrincipal>,
  ): Promise<Reply> => {
    const id = Number(input.params.deploymentId);
    const found = readableDeployment(config, input.principal, id);
    if ("status" in found) return found;
    const expiresIn = input.body?.expiresIn ?? DEFAULT_API_TOKEN_SECONDS;
    const context = isEmbedPrincipal(input.principal) ? input.principal.embed.securityContext : {};
    const cubeApiToken = apiTokens.mint(id, context, expiresIn);
    return success<DeploymentToken, 200>(200, { cubeApiToken });
  };

  return { getEmbedDashboard, getDeployment, deploymentToken };
}
