import { join } from "node:path";
import { packageRoot } from "./package-root.js";

/**
 * The providers embedkit knows. Adding a provider means one entry in BUILT_IN, its spec in
 * spec/<id>.yaml, its generated types and its folder under src/emulator/providers/<id>/.
 * The registry is data: `registerProvider` adds an entry at run time (a test's fixture provider,
 * a user's own), and everything that iterates PROVIDERS or PROVIDER_IDS afterwards sees it.
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
  /** Absolute path of its spec; a built-in provider's is spec/<id>.yaml in the package. */
  spec?: string;
  /** URL of the module exporting its `provider` definition; a built-in's is providers/<id>/index.js. */
  emulator?: string;
}

const BUILT_IN = [
  { id: "cube", name: "Cube Cloud", defaultPort: 4010, basePath: "/api" },
  { id: "explo", name: "Explo", defaultPort: 4011, basePath: "" },
  { id: "toucan", name: "Toucan AI", defaultPort: 4012, basePath: "" },
] as const satisfies readonly ProviderInfo[];

/** A built-in provider's id; an id given to registerProvider is accepted wherever one is. */
export type ProviderId = (typeof BUILT_IN)[number]["id"];

/** Every provider, built-in first, then registered ones in registration order. Live: do not copy early. */
export const PROVIDERS: readonly ProviderInfo[] = [...BUILT_IN];

export const PROVIDER_IDS: readonly ProviderId[] = PROVIDERS.map((p) => p.id as ProviderId);

/**
 * Adds a provider to the registry (its spec and emulator module given by path and URL), for the
 * rest of the process. Ids are lower-case words; a taken id or port is refused.
 */
export function registerProvider(info: ProviderInfo & { spec: string; emulator: string }): ProviderId {
  if (!/^[a-z][a-z0-9-]*$/.test(info.id)) throw new Error(`provider id "${info.id}": use a-z, 0-9 and -`);
  const clash = PROVIDERS.find((p) => p.id === info.id || p.defaultPort === info.defaultPort);
  if (clash) throw new Error(`provider ${info.id}: id or port already taken by ${clash.id}`);
  (PROVIDERS as ProviderInfo[]).push({ ...info });
  (PROVIDER_IDS as string[]).push(info.id);
  return info.id as ProviderId;
}

export function isProviderId(value: string): value is ProviderId {
  return (PROVIDER_IDS as readonly string[]).includes(value);
}

export function providerInfo(id: ProviderId): ProviderInfo {
  const info = PROVIDERS.find((p) => p.id === id);
  if (!info) throw new Error(`unknown provider ${id}`);
  return info;
}

/** Absolute path of a provider's spec. */
export function specPath(id: ProviderId): string {
  return providerInfo(id).spec ?? join(packageRoot(), "spec", `${id}.yaml`);
}
