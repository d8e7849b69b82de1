import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { type EnvSetting, loadProvider, mergeConfig } from "../emulator/index.js";
import { isProviderId, PROVIDER_IDS, type ProviderId, providerInfo } from "../openapi/index.js";
import { UsageError } from "./usage-error.js";

/** What one provider of `embedkit mock` runs with, after file ← env ← flags. */
export interface MockTarget {
  provider: ProviderId;
  port: number;
  host: string;
  /** Overrides merged over the provider's dev defaults by createEmulator (which validates them). */
  config: Record<string, unknown>;
}

/** Where every provider of the process keeps its state, and how many processes serve it. */
export interface MockPlan {
  targets: MockTarget[];
  /** `memory`, or a redis:// or rediss:// URL (may hold credentials: print it masked). */
  store: string;
  /** Prepended to every Redis key, so several environments can share one Redis. */
  storePrefix: string;
  workers: number;
}

export interface MockFlags {
  providers: ProviderId[];
  store?: string;
  storePrefix?: string;
  workers?: number;
  port?: number;
  host?: string;
  configFile?: string;
  noRateLimit?: boolean;
  controlToken?: string;
  /** `--allowed-host`, repeatable: names answered besides loopback and the bound address. */
  allowedHosts?: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

const TOP_LEVEL = new Set(["host", "controlToken", "allowedHosts", "store", "storePrefix", "workers", "all"]);

/**
 * The config file: `host`, `store`, `storePrefix`, `workers`, `controlToken`, `allowedHosts`, `all`
 * (settings for every provider) and one section per provider id (its config keys, plus `port`).
 * YAML or JSON.
 */
async function readConfigFile(path: string, cwd: string): Promise<Obj> {
  const file = resolve(cwd, path);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new UsageError(
      `--config ${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? "error"})`,
    );
  }
  let doc: unknown;
  try {
    // Loaded only when there is a config file: the YAML parser is a third of the start-up budget.
    const { parseYamlText } = await import("../openapi/parse.js");
    doc = parseYamlText(text);
  } catch (error) {
    throw new UsageError(
      `--config ${path}: not valid YAML or JSON: ${(error as Error).message.split("\n")[0]}`,
    );
  }
  if (doc === null || doc === undefined) return {};
  if (!isObj(doc)) throw new UsageError(`--config ${path}: must be an object`);
  for (const [key, value] of Object.entries(doc)) {
    if (!(TOP_LEVEL.has(key) || isProviderId(key))) {
      throw new UsageError(
        `--config ${path}: ${key}: unknown key; use ${[...TOP_LEVEL].join(", ")}, ${PROVIDER_IDS.join(", ")}`,
      );
    }
    if ((key === "all" || isProviderId(key)) && !isObj(value))
      throw new UsageError(`--config ${path}: ${key}: must be an object`);
  }
  return doc;
}

/** The provider id as it appears in environment variable names: `EMBEDKIT_<ID>_PORT`. */
export const envId = (provider: string) => provider.toUpperCase().replace(/[^A-Z0-9]/g, "_");

function parseJsonEnv(name: string, value: string): Obj {
  try {
    const parsed: unknown = JSON.parse(value);
    if (isObj(parsed)) return parsed;
  } catch {}
  throw new UsageError(`${name}: must be a JSON object`);
}

function portOf(name: string, value: unknown): number {
  // Number("") is 0, a random port: an empty variable must be an error, not a surprise.
  const n = typeof value === "string" ? (value.trim() === "" ? Number.NaN : Number(value)) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > 65_535) {
    throw new UsageError(`${name}: must be a port number from 0 to 65535, got ${JSON.stringify(value)}`);
  }
  return n;
}

/**
 * Environment: EMBEDKIT_CONFIG (a config file), EMBEDKIT_HOST, EMBEDKIT_CONTROL_TOKEN,
 * EMBEDKIT_ALLOWED_HOSTS (comma-separated),
 * EMBEDKIT_RATE_LIMIT=off, EMBEDKIT_<ID>_PORT, EMBEDKIT_<ID>_CONFIG (a JSON object of config keys),
 * and the EMBEDKIT_<ID>_<SUFFIX> variables a provider declares (`ProviderDefinition.env`).
 */
function fromEnv(
  env: NodeJS.ProcessEnv,
  provider: ProviderId,
  own: readonly EnvSetting[],
): { config: Obj; port?: number } {
  const id = envId(provider);
  let config: Obj = {};
  const json = env[`EMBEDKIT_${id}_CONFIG`];
  if (json) config = parseJsonEnv(`EMBEDKIT_${id}_CONFIG`, json);
  for (const setting of own) {
    const value = env[`EMBEDKIT_${id}_${setting.suffix}`];
    if (value) config[setting.key] = value;
  }
  if (env.EMBEDKIT_CONTROL_TOKEN) config.controlToken = env.EMBEDKIT_CONTROL_TOKEN;
  if (env.EMBEDKIT_RATE_LIMIT === "off") config.rateLimit = { enabled: false };
  if (env.EMBEDKIT_ALLOWED_HOSTS !== undefined) config.allowedHosts = listOf(env.EMBEDKIT_ALLOWED_HOSTS);
  const port = env[`EMBEDKIT_${id}_PORT`];
  return port === undefined ? { config } : { config, port: portOf(`EMBEDKIT_${id}_PORT`, port) };
}

const STORE_URL = /^(memory|rediss?:\/\/\S+)$/;

function storeOf(flags: MockFlags, env: NodeJS.ProcessEnv, file: Obj) {
  const store = flags.store ?? env.EMBEDKIT_STORE ?? file.store ?? "memory";
  if (typeof store !== "string" || !STORE_URL.test(store)) {
    throw new UsageError("--store must be memory or redis://host:port/db (EMBEDKIT_STORE, config store)");
  }
  const prefix = flags.storePrefix ?? env.EMBEDKIT_STORE_PREFIX ?? file.storePrefix ?? "embedkit:";
  if (typeof prefix !== "string" || !/^[\x21-\x7e]{1,100}$/.test(prefix)) {
    throw new UsageError("--store-prefix must be 1 to 100 printable characters without spaces");
  }
  const rawWorkers = flags.workers ?? env.EMBEDKIT_WORKERS ?? file.workers ?? 1;
  const workers = typeof rawWorkers === "string" ? Number(rawWorkers) : rawWorkers;
  if (typeof workers !== "number" || !Number.isInteger(workers) || workers < 1 || workers > 64) {
    throw new UsageError(`--workers must be a whole number from 1 to 64, got ${JSON.stringify(rawWorkers)}`);
  }
  return { store, storePrefix: prefix, workers };
}

/** Resolves the store, the workers and every provider's host, port and config: defaults ← file ← env ← flags. */

const listOf = (text: string) =>
  text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");

/** Names from every layer add up: allowing a host in the file and another by flag allows both. */
function allowedHosts(file: Obj, config: Obj, flags: MockFlags): string[] | undefined {
  const layers = [file.allowedHosts, config.allowedHosts, flags.allowedHosts];
  if (layers.every((l) => l === undefined)) return undefined;
  return [...new Set(layers.flatMap((l) => (Array.isArray(l) ? l : l === undefined ? [] : [l])))];
}

export async function resolveMockTargets(
  flags: MockFlags,
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<MockPlan> {
  const path = flags.configFile ?? env.EMBEDKIT_CONFIG;
  const file = path ? await readConfigFile(path, cwd) : {};
  const host = flags.host ?? env.EMBEDKIT_HOST ?? (typeof file.host === "string" ? file.host : "127.0.0.1");
  const definitions = await Promise.all(flags.providers.map((p) => loadProvider(p)));
  return { targets: targetsOf(flags, env, file, host, definitions), ...storeOf(flags, env, file) };
}

function targetsOf(
  flags: MockFlags,
  env: NodeJS.ProcessEnv,
  file: Obj,
  host: string,
  definitions: readonly { env?: readonly EnvSetting[] }[],
): MockTarget[] {
  return flags.providers.map((provider, i) => {
    const { port: filePort, ...section } = (file[provider] ?? {}) as Obj;
    let config: Obj = mergeConfig(isObj(file.all) ? file.all : {}, section);
    if (typeof file.controlToken === "string") config.controlToken = file.controlToken;
    const fromEnvironment = fromEnv(env, provider, definitions[i]?.env ?? []);
    config = mergeConfig(config, fromEnvironment.config);
    if (flags.controlToken) config.controlToken = flags.controlToken;
    if (flags.noRateLimit) config = mergeConfig(config, { rateLimit: { enabled: false } });
    const hosts = allowedHosts(file, config, flags);
    if (hosts) config.allowedHosts = hosts;
    const port =
      flags.port ??
      fromEnvironment.port ??
      (filePort === undefined ? providerInfo(provider).defaultPort : portOf(`${provider}.port`, filePort));
    return { provider, port, host, config };
  });
}
