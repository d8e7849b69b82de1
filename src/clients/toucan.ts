import createClient, { type Client } from "openapi-fetch";
import type { paths } from "../../generated/toucan.js";
import { checkBaseUrl, credentialMiddleware, requireSecret } from "./credential.js";

export type ToucanPaths = paths;
export type ToucanClient = Client<paths>;

export interface ToucanClientOptions {
  /** Defaults to Toucan's cloud, https://toucanai.cloud; self-hosted instances pass their own. */
  baseUrl?: string;
  apiKey: string;
  fetch?: (input: Request) => Promise<Response>;
}

const NAME = "createToucanClient";

/** Toucan takes the API key as is in `x-api-key`, with no scheme. */
export function createToucanClient(options: ToucanClientOptions): ToucanClient {
  const apiKey = requireSecret(NAME, "apiKey", options.apiKey);
  const client = createClient<paths>({
    baseUrl: checkBaseUrl(NAME, options.baseUrl ?? "https://toucanai.cloud"),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  client.use(credentialMiddleware("x-api-key", apiKey));
  return client;
}
