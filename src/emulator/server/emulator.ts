import type { Server } from "node:http";
import {
  isProviderId,
  loadSpec,
  NOTES,
  type ProviderId,
  providerInfo,
  readNote,
  type SpecModel,
  specPath,
} from "../../openapi/index.js";
import { SchemaEngine } from "../../schema/index.js";
import { budgetShares } from "../kit/budget.js";
import { AdjustableClock, systemClock } from "../kit/clock.js";
import {
  COMMON_DEFAULTS,
  type CommonSettings,
  ConfigError,
  checkConfig,
  mergeConfig,
} from "../kit/config.js";
import { memoryBackend, type StoreBackend } from "../kit/store/index.js";
import type { Clock, DevCredentials, EmuRequest, Logger, ProviderDefinition } from "../kit/types.js";
import { handleRequest, internalError } from "../pipeline/handle-request.js";
import { HostGuard } from "../pipeline/host-guard.js";
import { Journal } from "../pipeline/journal.js";
import {
  type CompiledOperation,
  errorReply,
  type Kernel,
  replyToResponse,
  resetKernel,
} from "../pipeline/kernel.js";
import { loadPrecompiled } from "../pipeline/precompiled.js";
import { Redactor } from "../pipeline/redact.js";
import { compileLimits } from "../pipeline/request-limits.js";
import { Router, withAliases } from "../pipeline/router.js";
import { fromFetchRequest, toFetchResponse } from "./fetch-adapter.js";
import { closeServer, createHttpServer, listenOn } from "./http-server.js";

/** Past the longest allowed `Prefer: delay`, how long a shutdown waits for a request to finish. */
const SHUTDOWN_MARGIN_MS = 2_000;

/** A provider's whole config: the common settings and the provider's own keys. */
export type EmulatorConfig = CommonSettings & Record<string, unknown>;

export interface EmulatorOptions {
  provider: ProviderId;
  /** Deep-merged over the dev defaults (arrays replace). */
  config?: Record<string, unknown>;
  clock?: Clock;
  logger?: Logger;
  /**
   * Where state lives; a fresh memory store when absent. A Redis backend is shared by replicas (and by
   * the providers of one process); whoever opened it closes it, after the emulators.
   */
  store?: StoreBackend;
}

export interface Emulator {
  readonly provider: ProviderId;
  readonly config: Readonly<EmulatorConfig>;
  readonly credentials: DevCredentials;
  /** The clock the emulator reads (the injected one plus the control plane's offset). */
  readonly clock: AdjustableClock;
  /** The base URL clients use (Cube's includes `/api`), once listening. */
  readonly url: string | undefined;
  /** scheme://host:port once listening; the control plane lives at `${origin}/__embedkit/`. */
  readonly origin: string | undefined;
  /** In-process: no socket, the same pipeline as the server. */
  fetch(request: Request): Promise<Response>;
  listen(port?: number, host?: string): Promise<{ url: string; origin: string; port: number }>;
  /**
   * Stops the server once its in-flight requests are answered (waiting up to the longest delay a
   * request may ask for, plus a margin); resolves with how many it had to cut, 0 normally.
   */
  close(): Promise<number>;
  reset(): Promise<void>;
  /** The provider's start-up lines (credentials, deployments, keys). */
  describe(): string[];
}

const silentLogger: Logger = { log: () => {}, enabled: () => false };

/**
 * The start-up lines, with every secret a user configured masked: the built-in dev credentials are
 * printed so they can be used, but a real key or embed secret must not land in a terminal or CI log.
 */
function bannerOf(kernel: Kernel): string[] {
  const { definition, config } = kernel;
  const dev = new Set(definition.secretsOf(definition.defaults()));
  const masked = new Redactor(
    definition.secretsOf(config).filter((s) => !dev.has(s)),
    definition.redaction,
  );
  return definition.banner(config).map((line) => masked.text(line));
}

/** Loads providers/<id>/ by id: no hand-kept map, a new provider is a folder and a registry entry. */
export async function loadProvider(id: string): Promise<ProviderDefinition> {
  if (!isProviderId(id)) throw new ConfigError("provider", `unknown provider "${id}"`);
  const registered = providerInfo(id).emulator;
  // @vite-ignore: the id comes from the registry at run time; vitest resolves it like any import.
  const mod = (await (registered
    ? import(/* @vite-ignore */ registered)
    : import(/* @vite-ignore */ `../providers/${id}/index.js`))) as { provider: ProviderDefinition };
  return mod.provider;
}

/** The status the spec declares for "the state store is unavailable" (its x-embedkit-store-unavailable note). */
function outageStatus(spec: SpecModel): number {
  return readNote(NOTES.storeUnavailable, spec.extensions)?.status ?? 503;
}

function specDefaults(spec: SpecModel): Partial<CommonSettings> {
  const out: Partial<CommonSettings> = {};
  const limit = readNote(NOTES.rateLimit, spec.extensions);
  if (limit) out.rateLimit = { enabled: true, requests: limit.requests, windowSeconds: limit.windowSeconds };
  const budget = readNote(NOTES.stateBudget, spec.extensions);
  if (budget) out.stateBudgetBytes = budget.bytes;
  return out;
}

/** The dev defaults of a provider, as `embedkit mock` prints them. */
export async function defaultConfig(provider: ProviderId): Promise<EmulatorConfig> {
  const [definition, spec] = await Promise.all([loadProvider(provider), loadSpec(specPath(provider))]);
  return mergeConfig({ ...COMMON_DEFAULTS, ...specDefaults(spec) }, definition.defaults()) as EmulatorConfig;
}

/** Credentials for the dev defaults, or for a given config. */
export async function devCredentials(
  provider: ProviderId,
  config?: Record<string, unknown>,
): Promise<DevCredentials> {
  const definition = await loadProvider(provider);
  return definition.devCredentials(mergeConfig(definition.defaults(), config ?? {}));
}

function compileOperations(
  spec: SpecModel,
  engine: SchemaEngine,
  config: CommonSettings,
): Map<string, CompiledOperation> {
  const out = new Map<string, CompiledOperation>();
  for (const operation of spec.operations) {
    const pointer = operation.requestBody?.content["application/json"]?.schemaPointer;
    out.set(operation.id, {
      operation,
      validate: pointer ? engine.compile(pointer) : undefined,
      validateLarge: pointer ? () => engine.compileFirstProblem(pointer) : undefined,
      bodyRequired: operation.requestBody?.required ?? false,
      cors:
        operation.security.length === 0 ||
        operation.security.some((alt) => alt.length === 0) ||
        readNote(NOTES.browser, operation.extensions) !== undefined,
      statuses: new Set(
        Object.keys(operation.responses)
          .filter((s) => /^\d{3}$/.test(s))
          .map(Number),
      ),
      limits: compileLimits(operation, config.requestLimits),
    });
  }
  return out;
}

async function buildKernel(options: EmulatorOptions): Promise<Kernel> {
  const [definition, spec] = await Promise.all([
    loadProvider(options.provider),
    loadSpec(specPath(options.provider)),
  ]);
  const engine = new SchemaEngine(spec.document, {
    id: options.provider,
    precompiled: await loadPrecompiled(spec),
  });
  const base = mergeConfig({ ...COMMON_DEFAULTS, ...specDefaults(spec) }, definition.defaults());
  const config = mergeConfig(base, options.config ?? {}) as EmulatorConfig;
  // The dev defaults are checked by a test, not at every start: compiling the config schema costs
  // ~40 ms, a fifth of the start-up budget. Anything a user supplied is always checked.
  if (options.config && Object.keys(options.config).length > 0) {
    checkConfig(engine, definition.configSchema, config, "config");
  }
  const clock = new AdjustableClock(options.clock ?? systemClock);
  const logger = options.logger ?? silentLogger;
  const backend = options.store ?? memoryBackend();
  const shares = budgetShares(config);
  const store = backend.open(options.provider, { budgetBytes: shares.storeBytes });
  const runtime = await definition.create({
    config,
    clock,
    spec,
    logger,
    store,
    processBudgetBytes: shares.processBytes,
  });
  return {
    providerId: options.provider,
    spec,
    definition,
    runtime,
    config,
    clock,
    journal: new Journal(config.journalSize, shares.journalBytes),
    budget: { limitBytes: config.stateBudgetBytes, ...shares },
    store,
    outage: { status: outageStatus(spec), where: backend.description },
    redactor: new Redactor(
      [...definition.secretsOf(config), ...(config.controlToken ? [config.controlToken] : [])],
      definition.redaction,
    ),
    logger,
    operations: compileOperations(spec, engine, config),
    router: new Router(
      withAliases(spec.operations, config.pathAliases),
      providerInfo(options.provider).basePath,
    ),
    embedRoutes: runtime.embed ?? [],
    hostGuard: new HostGuard(config.allowedHosts),
    exposed: false,
    startedAt: Date.now(),
  };
}

const isLoopback = (host: string) => /^(127\.\d+\.\d+\.\d+|::1|localhost)$/.test(host);

/** A stateful local provider: in-process through `fetch`, or on a socket through `listen`. */
export async function createEmulator(options: EmulatorOptions): Promise<Emulator> {
  const kernel = await buildKernel(options);
  const basePath = providerInfo(options.provider).basePath;
  // A sweep that fails (Redis away) is simply the next one's work.
  const sweeper = setInterval(() => kernel.runtime.sweep().catch(() => {}), 30_000);
  sweeper.unref();
  let server: Server | undefined;
  let origin: string | undefined;
  return {
    provider: options.provider,
    config: kernel.config as EmulatorConfig,
    credentials: kernel.definition.devCredentials(kernel.config),
    clock: kernel.clock,
    get url() {
      return origin === undefined ? undefined : origin + basePath;
    },
    get origin() {
      return origin;
    },
    async fetch(request) {
      // Never throws: a body that cannot be read is a 400, a bug a 500, both in the envelope.
      let req: EmuRequest;
      try {
        req = await fromFetchRequest(request, kernel.config.bodyLimitBytes);
      } catch {
        return toFetchResponse(
          replyToResponse(errorReply(kernel, 400, "The request body could not be read")),
        );
      }
      return toFetchResponse(
        await handleRequest(kernel, req).catch((e: unknown) => internalError(kernel, e, "-")),
      );
    },
    async listen(port = providerInfo(options.provider).defaultPort, host = "127.0.0.1") {
      if (server) throw new Error("already listening");
      server = createHttpServer(kernel);
      kernel.exposed = !isLoopback(host);
      kernel.hostGuard.allow(host);
      const bound = await listenOn(server, port, host).catch((error: unknown) => {
        server = undefined;
        throw error;
      });
      origin = `http://${host.includes(":") ? `[${host}]` : host}:${bound}`;
      return { url: origin + basePath, origin, port: bound };
    },
    async close() {
      clearInterval(sweeper);
      const cut = server ? await closeServer(server, kernel.config.maxDelayMs + SHUTDOWN_MARGIN_MS) : 0;
      if (cut > 0) kernel.logger.log("warn", "shutdown cut in-flight requests", { cut });
      server = undefined;
      origin = undefined;
      return cut;
    },
    reset: () => resetKernel(kernel),
    describe: () => bannerOf(kernel),
  };
}
