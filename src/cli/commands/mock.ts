import { randomBytes } from "node:crypto";
import {
  ConfigError,
  createEmulator,
  type Emulator,
  type Logger,
  type LogLevel,
  type StoreBackend,
} from "../../emulator/index.js";
import { isProviderId, PROVIDER_IDS, type ProviderId, providerInfo } from "../../openapi/index.js";
import { type Command, type Io, intFlag, parseFlags } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { type MockPlan, type MockTarget, resolveMockTargets } from "../mock-config.js";
import { openStore } from "../mock-store.js";
import { isFirstWorker, isWorker, leavePrimary, reportReady, runPrimary } from "../mock-workers.js";
import { providerChoices, providerHelpLines, providerPorts } from "../provider-help.js";
import { UsageError } from "../usage-error.js";

const help = async () => {
  const { env, notes } = await providerHelpLines();
  return `usage: embedkit mock [${providerChoices()} ...] [options]

Runs stateful local providers (all of them when none is named):
${providerPorts()}
Sessions are single-use and expire, tokens are real JWS/JWE. Dev credentials are printed at start-up.

options:
  --port <n>            port (only when one provider is named; 0 = any free port)
  --host <addr>         address to bind (default 127.0.0.1); beyond loopback the control plane
                        needs X-Embedkit-Control-Token (generated and printed when not given)
  --config <file>       YAML/JSON: {host, controlToken, allowedHosts, all: {...}, <provider>: {port, ...}, ...}
  --control-token <t>   token for /__embedkit/* when listening beyond loopback (16+ characters)
  --store <s>           where state lives: memory (default) or redis://host:port/db, shared by
                        every replica on that Redis (sessions exchanged once across all of them)
  --store-prefix <p>    prefix of every Redis key (default embedkit:), so environments can share one
  --workers <n>         n processes on the same ports sharing the store (needs --store redis://…)
  --allowed-host <name> answer requests for this Host too (repeatable; .example.com = any name under
                        it). Loopback names and the bound address always work; any other Host gets
                        403, so a DNS-rebinding web page cannot reach the providers
  --no-rate-limit       switch off the rate limits providers apply by default
  --quiet               only warnings and errors
  --log-format <f>      text (default) or json: one JSON object a line, with time, level, msg
  -h, --help            this text

environment: EMBEDKIT_CONFIG, EMBEDKIT_HOST, EMBEDKIT_CONTROL_TOKEN, EMBEDKIT_RATE_LIMIT=off,
  EMBEDKIT_STORE, EMBEDKIT_STORE_PREFIX, EMBEDKIT_WORKERS,
  EMBEDKIT_ALLOWED_HOSTS (comma-separated),
  EMBEDKIT_<${providerChoices().toUpperCase()}>_PORT, EMBEDKIT_<ID>_CONFIG (JSON)${env.map((e) => `,\n  ${e}`).join("")}
control plane: /__embedkit/{health,reset,requests,state,faults,clock,introspect}; POSTs take
  Content-Type: application/json only, and a request with another page's Origin is refused
steering: Prefer: code=429 | Prefer: delay=800
${notes.map((n) => `\n${n}`).join("")}

while Redis is unreachable every request is answered 503 in the provider's envelope (declared in
the specs, x-embedkit-store-unavailable); service resumes by itself when Redis is back.

exit codes: 0 stopped by SIGINT/SIGTERM (in-flight requests finished), 1 a shutdown had to cut
  in-flight requests, 2 bad usage, bad config, a taken port or an unreachable store`;
};

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

type LogFormat = "text" | "json";

type Fields = Record<string, string | number | boolean>;

/** One log line: `<time> <level> <provider> <msg> k=v…`, or a JSON object for log collectors. */
function formatLine(format: LogFormat, level: LogLevel, provider: string, msg: string, fields?: Fields) {
  const time = new Date().toISOString();
  if (format === "json") return JSON.stringify({ time, level, provider, msg, ...fields });
  const extra = fields
    ? Object.entries(fields).map(([k, v]) => ` ${k}=${typeof v === "string" ? JSON.stringify(v) : v}`)
    : [];
  return `${time} ${level} ${provider} ${msg}${extra.join("")}`;
}

function cliLogger(io: Io, provider: string, min: LogLevel, format: LogFormat): Logger {
  return {
    enabled: (level) => LEVELS[level] >= LEVELS[min],
    log(level, message, fields) {
      if (LEVELS[level] < LEVELS[min]) return;
      const line = formatLine(format, level, provider, message, fields);
      if (LEVELS[level] >= LEVELS.warn) io.err(line);
      else io.out(line);
    },
  };
}

const isLoopback = (host: string) => /^(127\.\d+\.\d+\.\d+|::1|localhost)$/.test(host);

function parse(argv: string[]) {
  const { values, positionals } = parseFlags(argv, {
    port: { type: "string" },
    host: { type: "string" },
    config: { type: "string" },
    "control-token": { type: "string" },
    store: { type: "string" },
    "store-prefix": { type: "string" },
    workers: { type: "string" },
    "allowed-host": { type: "string", multiple: true },
    "no-rate-limit": { type: "boolean", default: false },
    quiet: { type: "boolean", default: false },
    "log-format": { type: "string", default: "text" },
  });
  const format = values["log-format"];
  if (format !== "text" && format !== "json") {
    throw new UsageError(`--log-format must be text or json, got "${format}"`);
  }
  for (const p of positionals) {
    if (!isProviderId(p))
      throw new UsageError(`unknown provider "${p}"; choose from ${PROVIDER_IDS.join(", ")}`);
  }
  const providers = (positionals.length ? [...new Set(positionals)] : [...PROVIDER_IDS]) as ProviderId[];
  if (values.port !== undefined && providers.length !== 1) {
    throw new UsageError("--port needs exactly one provider (e.g. embedkit mock cube --port 5010)");
  }
  return { values, providers, format: format as LogFormat };
}

async function start(
  target: MockTarget,
  io: Io,
  level: LogLevel,
  format: LogFormat,
  store: StoreBackend,
): Promise<Emulator> {
  let emulator: Emulator;
  try {
    emulator = await createEmulator({
      provider: target.provider,
      config: target.config,
      store,
      logger: cliLogger(io, target.provider, level, format),
    });
  } catch (error) {
    if (error instanceof ConfigError)
      throw new UsageError(`${target.provider} config: ${error.message.replace(/^config\.?/, "")}`);
    throw error;
  }
  try {
    await emulator.listen(target.port, target.host);
  } catch (error) {
    await emulator.close();
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "EADDRINUSE" ? "is already in use" : `cannot be used (${code ?? (error as Error).message})`;
    throw new UsageError(
      `${target.provider}: port ${target.port} on ${target.host} ${why}; pick another with --port`,
    );
  }
  return emulator;
}

function printBanner(io: Io, emulators: Emulator[], controlToken: string | undefined): void {
  io.out("embedkit mock: stateful local providers (Ctrl-C to stop)");
  for (const e of emulators) {
    io.out("");
    const { name, basePath } = providerInfo(e.provider);
    io.out(`${e.provider.padEnd(7)} ${name}  ${e.url}`);
    // Cube's SDKs take the host and append /api/v1 themselves; its REST reference uses .../api.
    if (basePath) io.out(`        also ${e.origin} for clients that append ${basePath} themselves`);
    for (const line of e.describe()) io.out(`        ${line}`);
    io.out(`        control plane: ${e.origin}/__embedkit/health`);
  }
  if (controlToken) io.out(`\ncontrol token (X-Embedkit-Control-Token): ${controlToken}`);
}

/**
 * JSON mode's start-up: one `listening` line per provider instead of the banner (dev credentials
 * are in the text banner and the docs). A generated control token is printed once: it exists only here.
 */
function printJsonStart(io: Io, emulators: Emulator[], controlToken: string | undefined): void {
  for (const e of emulators) {
    const fields = { url: e.url ?? "", controlPlane: `${e.origin}/__embedkit/` };
    io.out(formatLine("json", "info", e.provider, "listening", fields));
  }
  if (controlToken) io.out(formatLine("json", "info", "mock", "control token generated", { controlToken }));
}

/**
 * Resolves on SIGINT/SIGTERM after every server stopped accepting and finished its in-flight
 * requests: 0, or 1 (with a line saying how many) when some had to be cut.
 */
function untilSignal(emulators: Emulator[], store: StoreBackend, io: Io): Promise<number> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      Promise.all(emulators.map((e) => e.close())).then(async (cuts) => {
        await store.close();
        const cut = cuts.reduce((a, b) => a + b, 0);
        if (cut > 0) io.err(`embedkit mock: shutdown cut ${cut} in-flight request(s)`);
        resolve(cut > 0 ? EXIT.failures : EXIT.ok);
      });
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

/**
 * Beyond loopback the control plane needs a token: one is generated when none was configured (in a
 * worker, the primary's arrives through the environment, so every replica accepts the same one).
 */
function controlTokenFor(plan: MockPlan): string | undefined {
  const needs = plan.targets.some((t) => !isLoopback(t.host) && t.config.controlToken === undefined);
  if (!needs) return undefined;
  const generated = randomBytes(24).toString("base64url");
  for (const t of plan.targets) t.config.controlToken ??= generated;
  return generated;
}

function announce(
  io: Io,
  emulators: Emulator[],
  generated: string | undefined,
  quiet: boolean,
  format: LogFormat,
  store: string,
): void {
  if (format === "json") printJsonStart(io, emulators, generated);
  else if (!quiet) {
    printBanner(io, emulators, generated);
    io.out(`\nstate: ${store}`);
  } else {
    for (const e of emulators) io.out(`${e.provider} ${e.url}`);
    // Without it the control plane of a non-loopback server could not be used at all.
    if (generated) io.out(`control token (X-Embedkit-Control-Token): ${generated}`);
  }
}

export const mockCommand: Command = {
  name: "mock",
  summary: "run the stateful local providers (all of them when none is named)",
  help,
  async run(argv, io) {
    const { values, providers, format } = parse(argv);
    const plan = await resolveMockTargets(
      {
        providers,
        port: values.port === undefined ? undefined : intFlag("port", values.port, 0, 0, 65_535),
        host: values.host,
        configFile: values.config,
        noRateLimit: values["no-rate-limit"],
        controlToken: values["control-token"],
        store: values.store,
        storePrefix: values["store-prefix"],
        workers: values.workers === undefined ? undefined : intFlag("workers", values.workers, 1, 1, 64),
        ...(values["allowed-host"] ? { allowedHosts: values["allowed-host"] } : {}),
      },
      io.env,
      io.cwd,
    );
    if (plan.workers > 1 && plan.store === "memory") {
      io.err(
        `embedkit mock: --workers ${plan.workers} needs a shared store: add --store redis://host:port/db (with memory each process would keep its own sessions)`,
      );
      return 2;
    }
    const generated = controlTokenFor(plan);
    const level: LogLevel = values.quiet ? "warn" : "info";
    const logger = cliLogger(io, "mock", level, format);
    if (plan.workers > 1 && !isWorker()) {
      // Checked here once, so an unreachable Redis is one line rather than one per worker.
      const probe = await openStore(plan.store, plan.storePrefix, io, logger);
      if (typeof probe === "number") return probe;
      await probe.close();
      return runPrimary(plan.workers, argv, io, generated ? { EMBEDKIT_CONTROL_TOKEN: generated } : {});
    }
    const store = await openStore(plan.store, plan.storePrefix, io, logger);
    if (typeof store === "number") return store;
    const emulators: Emulator[] = [];
    try {
      for (const target of plan.targets) emulators.push(await start(target, io, level, format, store));
    } catch (error) {
      await Promise.all(emulators.map((e) => e.close()));
      await store.close();
      if (!(error instanceof UsageError)) throw error;
      // A taken port or a bad config: one clear line, no stack, no usage text.
      io.err(`embedkit mock: ${error.message}`);
      return 2;
    }
    const stopped = untilSignal(emulators, store, io);
    if (isFirstWorker()) announce(io, emulators, generated, values.quiet, format, store.description);
    reportReady();
    return leavePrimary(stopped);
  },
};
