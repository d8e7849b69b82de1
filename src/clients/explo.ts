import createClient, { type Client } from "openapi-fetch";
import type { paths } from "../../generated/explo.js";
import { checkBaseUrl, credentialMiddleware, requireSecret } from "./credential.js";

export type ExploPaths = paths;
export type ExploClient = Client<paths>;

export interface ExploClientOptions {
  /** Defaults to Explo's customer API, https://api.explo.co. */
  baseUrl?: string;
  /** The customer API token, without the "Token " prefix. */
  token: string;
  fetch?: (input: Request) => Promise<Response>;
}

const NAME = "createExploClient";

/**
 * Explo reads its own header, not Authorization, with a "Token" scheme.
 * https://docs.explo.co/api-reference/customer-api/generate-jwt
 */
export function createExploClient(options: ExploClientOptions): ExploClient {
  const token = requireSecret(NAME, "token", options.token);
  const client = createClient<paths>({
    baseUrl: checkBaseUrl(NAME, options.baseUrl ?? "https://api.explo.co"),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  client.use(credentialMiddleware("Explo-Authorization", `Token ${token}`));
  return client;
}
