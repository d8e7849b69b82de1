import { join } from "node:path";
import { packageRoot } from "./package-root.js";

/**
 * The providers embedkit ships a spec for. Adding a provider means one entry here, its spec in
 * spec/<id>.yaml, its generated types and its folder under src/emulator/providers/<id>/.
 */
export interface ProviderInfo {
  id: string;
  /** The vendor's product name, for people. */
  name: string;
  /** The local port `embedkit mock` and `embedkit prism` use by default. */
  defaultPort: number;
  /**
   * The path prefix of the spec's server URL (Cube's server is https://{tenant}.cubecloud.dev/api),
   * so a client or a contract run targets http://127.0.0.1:<port><basePath>.
   */
  basePath: string;
}

export const PROVIDERS = [
  { id: "cube", name: "Cube Cloud", defaultPort: 4010, basePath: "/api" },
  { id: "explo", name: "Explo", defaultPort: 4011, basePath: "" },
  { id: "toucan", name: "Toucan AI", defaultPort: 4012, basePath: "" },
] as const satisfies readonly ProviderInfo[];

export type ProviderId = (typeof PROVIDERS)[number]["id"];

export const PROVIDER_IDS: readonly ProviderId[] = PROVIDERS.map((p) => p.id);

export function isProviderId(value: string): value is ProviderId {
  return (PROVIDER_IDS as readonly string[]).includes(value);
}

export function providerInfo(id: ProviderId): ProviderInfo {
  const info = PROVIDERS.find((p) => p.id === id);
  if (!info) throw new Error(`unknown provider ${id}`);
  return info;
}

/** Absolute path of a shipped provider's spec. */
export function specPath(id: ProviderId): string {
  return join(packageRoot(), "spec", `${id}.yaml`);
}
