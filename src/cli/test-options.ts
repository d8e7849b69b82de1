import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { CHECK_IDS, type ContractOptions, PHASES, type Phase, type Secret } from "../contract/index.js";
import {
  isProviderId,
  loadSpec,
  PROVIDER_IDS,
  type ProviderId,
  providerInfo,
  specPath,
} from "../openapi/index.js";
import { givenAuth } from "./auth-options.js";
import { type Io, intFlag, parseFlags } from "./command.js";
import { readTestData } from "./test-data-file.js";
import { UsageError } from "./usage-error.js";

export const TEST_FLAGS = {
  target: { type: "string" },
  auth: { type: "string", multiple: true },
  header: { type: "string", multiple: true, short: "H" },
  data: { type: "string" },
  "exclude-checks": { type: "string", multiple: true },
  "fail-fast": { type: "boolean" },
  "show-secrets": { type: "boolean" },
  "retry-wait": { type: "string" },
  "token-key": { type: "string", multiple: true },
  checks: { type: "string", multiple: true },
  phases: { type: "string", multiple: true },
  operation: { type: "string", multiple: true },
  tag: { type: "string", multiple: true },
  path: { type: "string", multiple: true },
  "exclude-deprecated": { type: "boolean" },
  "shrink-time": { type: "string" },
  seed: { type: "string" },
  "max-cases": { type: "string" },
  concurrency: { type: "string" },
  timeout: { type: "string" },
  report: { type: "string", multiple: true },
  "allow-remote-refs": { type: "boolean", default: false },
} as const;

export interface TestCommandOptions {
  /** The built-in provider named, if one was (a place to add its dev credentials). */
  provider?: ProviderId;
  contract: ContractOptions & { target: string };
  reports: { junit?: string; json?: string; html?: string };
  /** Given credentials and token keys, masked in every output unless --show-secrets. */
  secrets: Secret[];
}

/** `name=value` pairs of a repeatable flag; the value may itself contain `=`. */
export function pairs(flag: string, values: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values ?? []) {
    const at = v.indexOf("=");
    if (at <= 0) throw new UsageError(`--${flag} takes <name>=<value>, got "${v}"`);
    out[v.slice(0, at)] = v.slice(at + 1);
  }
  return out;
}

const list = (values: string[] | undefined) =>
  values
    ?.flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);

function oneOf(flag: string, values: string[] | undefined, known: readonly string[]): string[] | undefined {
  const items = list(values);
  const bad = items?.filter((v) => !known.includes(v)) ?? [];
  if (bad.length)
    throw new UsageError(`--${flag}: unknown ${bad.join(", ")}; choose from ${known.join(", ")}`);
  return items;
}

function specFor(arg: string | undefined, io: Io): { path: string; provider?: ProviderId } {
  if (!arg) throw new UsageError(`name a provider (${PROVIDER_IDS.join(", ")}) or a spec file`);
  if (isProviderId(arg)) return { path: specPath(arg), provider: arg };
  const path = resolve(io.cwd, arg);
  if (!existsSync(path))
    throw new UsageError(`"${arg}" is neither a provider (${PROVIDER_IDS.join(", ")}) nor a spec file`);
  return { path };
}

function reportsOf(values: string[] | undefined, io: Io): TestCommandOptions["reports"] {
  const reports: TestCommandOptions["reports"] = {};
  for (const [kind, file] of Object.entries(pairs("report", values))) {
    if (kind !== "junit" && kind !== "json" && kind !== "html")
      throw new UsageError(`--report takes junit=<file>, json=<file> or html=<file>, got "${kind}"`);
    reports[kind] = resolve(io.cwd, file);
  }
  return reports;
}

/**
 * For a built-in provider: embedkit mock's dev credentials when none were given (with --token-key
 * alone too), and its dev token keys when neither credentials nor keys were given. Said in one
 * line, because against any other service those credentials are simply wrong.
 */
async function devDefaults(provider: ProviderId, given: Credentials, io: Io): Promise<Credentials> {
  const noAuth = Object.keys(given.auth).length === 0;
  const noKeys = Object.keys(given.tokenKeys).length === 0;
  if (!noAuth) return given;
  const { devCredentials } = await import("../emulator/index.js");
  const dev = await devCredentials(provider);
  io.err(
    noKeys
      ? "using embedkit's dev credentials and token keys; pass --auth (and --token-key) to test another service"
      : "using embedkit's dev credentials with the given --token-key; pass --auth to test another service",
  );
  return { auth: dev.auth, tokenKeys: noKeys ? dev.tokenKeys : given.tokenKeys };
}

interface Credentials {
  auth: Record<string, string>;
  tokenKeys: Record<string, string>;
}

function targetOf(value: string | undefined, provider: ProviderId | undefined): string {
  const info = provider ? providerInfo(provider) : undefined;
  const target = value ?? (info ? `http://127.0.0.1:${info.defaultPort}${info.basePath}` : undefined);
  if (!target) throw new UsageError("--target <url> is required for a spec file");
  if (!/^https?:\/\/[^/]/.test(target))
    throw new UsageError(`--target must be an http(s) URL, got "${target}"`);
  return target;
}

/** --checks minus --exclude-checks; undefined means all. */
function checksOf(values: { checks?: string[]; "exclude-checks"?: string[] }): string[] | undefined {
  const only = oneOf("checks", values.checks, CHECK_IDS);
  const excluded = oneOf("exclude-checks", values["exclude-checks"], CHECK_IDS);
  if (!excluded) return only;
  return (only ?? [...CHECK_IDS]).filter((c) => !excluded.includes(c));
}

/**
 * Turns `embedkit test` arguments into contract options, the spec loaded and every flag checked;
 * throws UsageError (or SpecError) for anything the run could not start with.
 */
export async function buildTestOptions(argv: string[], io: Io): Promise<TestCommandOptions> {
  const { values, positionals } = parseFlags(argv, TEST_FLAGS);
  if (positionals.length > 1)
    throw new UsageError(`one provider or spec at a time, got ${positionals.join(" ")}`);
  const { path, provider } = specFor(positionals[0], io);
  const spec = await loadSpec(path, { allowRemoteRefs: values["allow-remote-refs"] });
  const target = targetOf(values.target, provider);
  const given = givenAuth(spec, values, io);
  const tokenKeys = pairs("token-key", values["token-key"]);
  const credentials = provider
    ? await devDefaults(provider, { auth: given.auth, tokenKeys }, io)
    : { auth: given.auth, tokenKeys };
  const operations = oneOf(
    "operation",
    values.operation,
    spec.operations.map((op) => op.id),
  );
  const checks = checksOf(values);
  const phases = oneOf("phases", values.phases, PHASES) as Phase[] | undefined;
  const contract: TestCommandOptions["contract"] = {
    spec,
    target,
    ...credentials,
    headers: given.headers,
    seed: intFlag("seed", values.seed, Math.floor(Math.random() * 2 ** 31), 0, 2 ** 32 - 1),
    maxCases: intFlag("max-cases", values["max-cases"], 50, 1, 100_000),
    concurrency: intFlag("concurrency", values.concurrency, 8, 1, 1024),
    timeoutMs: intFlag("timeout", values.timeout, 10_000, 1, 600_000),
    retry: { maxWaitMs: intFlag("retry-wait", values["retry-wait"], 60, 0, 3600) * 1000 },
    failFast: values["fail-fast"] === true,
    ...(values.data ? { data: await readTestData(resolve(io.cwd, values.data), spec) } : {}),
    shrinkMs: intFlag("shrink-time", values["shrink-time"], 2000, 0, 600_000),
    ...(values.tag ? { tags: list(values.tag) } : {}),
    ...(values.path ? { paths: list(values.path) } : {}),
    ...(values["exclude-deprecated"] ? { excludeDeprecated: true } : {}),
    ...(operations ? { operations } : {}),
    ...(checks ? { checks } : {}),
    ...(phases ? { phases } : {}),
  };
  // What the user gave is masked; embedkit's dev credentials are public (the banner prints them).
  const secrets: Secret[] = values["show-secrets"]
    ? []
    : [...given.secrets, ...Object.values(tokenKeys).map((value) => ({ value }))];
  return { ...(provider ? { provider } : {}), contract, reports: reportsOf(values.report, io), secrets };
}
