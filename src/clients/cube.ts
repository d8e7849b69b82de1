import createClient, { type Client } from "openapi-fetch";
import type { paths } from "../../generated/cube.js";
import { checkBaseUrl, credentialMiddleware, requireSecret } from "./credential.js";

export type CubePaths = paths;
export type CubeClient = Client<paths>;

/**
 * Cube guides and samples send `Api-Key <key>`; its Platform API reference says `Bearer <key>`.
 * Both are accepted, so both are offered.
 * https://docs.cube.dev/api-reference/embed/generate-an-embed-session
 */
export type CubeAuthScheme = "Api-Key" | "Bearer";

/** An admin API key: generate-session, revoke and the Platform API. */
interface CubeKeyCredential {
  apiKey: string;
  /** Defaults to "Api-Key", the form every Cube guide uses. */
  scheme?: CubeAuthScheme;
  embedToken?: never;
}

/**
 * The embed token from the session exchange, sent as `Authorization: Embed-Token <token>`: what the
 * Embed SDK calls the deployment and dashboard APIs with, in the browser or a BFF.
 * https://github.com/cubedevinc/cube-agent-examples (examples/antd-cube-embed-sdk/src/App.tsx)
 */
interface CubeEmbedCredential {
  embedToken: string;
  apiKey?: never;
  scheme?: never;
}

type CubeCommonOptions = (CubeKeyCredential | CubeEmbedCredential) & {
  fetch?: (input: Request) => Promise<Response>;
};

/** Either a full base URL (custom domain, local mock) or the Cube Cloud tenant subdomain. */
export type CubeClientOptions = CubeCommonOptions &
  ({ baseUrl: string; tenant?: never } | { tenant: string; baseUrl?: never });

const NAME = "createCubeClient";
const SCHEMES: readonly string[] = ["Api-Key", "Bearer"] satisfies CubeAuthScheme[];
/** A DNS label: what may stand before .cubecloud.dev. */
const TENANT = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/**
 * The session exchange is authenticated by the session id alone and runs from places that must
 * never hold the admin key (Cube's signed-embedding guide), so the key is not sent there.
 * https://docs.cube.dev/api-reference/embed/exchange-a-session-for-an-embed-token
 */
const ANONYMOUS_PATHS = ["/v1/embed/session/token"] satisfies (keyof paths)[];

export function createCubeClient(options: CubeClientOptions): CubeClient {
  const header = authorizationOf(options);
  const client = createClient<paths>({
    baseUrl: cubeBaseUrl(options),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  client.use(credentialMiddleware("Authorization", header, ANONYMOUS_PATHS));
  return client;
}

function authorizationOf(options: CubeKeyCredential | CubeEmbedCredential): string {
  if (options.embedToken !== undefined) {
    if (options.apiKey !== undefined) {
      throw new TypeError(`${NAME}: pass either "apiKey" or "embedToken", not both`);
    }
    return `Embed-Token ${requireSecret(NAME, "embedToken", options.embedToken)}`;
  }
  const apiKey = requireSecret(NAME, "apiKey", options.apiKey);
  const scheme = options.scheme ?? "Api-Key";
  if (!SCHEMES.includes(scheme)) {
    throw new TypeError(`${NAME}: option "scheme" must be "Api-Key" or "Bearer", got "${scheme}"`);
  }
  return `${scheme} ${apiKey}`;
}

function cubeBaseUrl({ baseUrl, tenant }: { baseUrl?: string; tenant?: string }): string {
  if (baseUrl !== undefined && tenant !== undefined) {
    throw new TypeError(`${NAME}: pass either "baseUrl" or "tenant", not both`);
  }
  if (baseUrl !== undefined) return checkBaseUrl(NAME, baseUrl);
  if (tenant === undefined) {
    throw new TypeError(`${NAME}: option "tenant" (your Cube Cloud subdomain) or "baseUrl" is required`);
  }
  if (typeof tenant !== "string" || !TENANT.test(tenant)) {
    throw new TypeError(
      `${NAME}: option "tenant" must be a subdomain such as "acme", got "${String(tenant)}"`,
    );
  }
  return `https://${tenant}.cubecloud.dev/api`;
}
