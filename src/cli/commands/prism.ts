import {
  isProviderId,
  PROVIDER_IDS,
  type ProviderId,
  type ProviderInfo,
  providerInfo,
  specPath,
} from "../../openapi/index.js";
import { type Command, type Io, intFlag, parseFlags } from "../command.js";
import { assertPortFree, type PrismChild, startPrism } from "../prism-process.js";
import { providerChoices, providerPorts } from "../provider-help.js";
import { UsageError } from "../usage-error.js";

const help = async () => `usage: embedkit prism [${providerChoices()} ...] [options]

Runs Stoplight Prism (the pinned @stoplight/prism-cli) as a stateless mock of each named
provider's spec, all of them when none is named:
${providerPorts()}
Prints each base URL once its port answers; Ctrl-C stops them all.

Each provider answers under the same base URL as the stateful mock (\`embedkit mock\`), a base
path included, so a client or a contract run can switch between them.

options:
  --port <n>      port for the one named provider
  --host <addr>   address to listen on (default 127.0.0.1)
  --dynamic       answer with data generated from the schemas instead of the spec's examples
  --no-errors     do not make Prism flag its own responses that break the spec (on by default)
  --quiet         hide Prism's request logs
  -h, --help      this text

exit codes: 0 stopped by SIGINT/SIGTERM, 1 Prism failed, 2 bad usage or a port already taken`;

interface Target {
  info: ProviderInfo;
  port: number;
}

export const prismCommand: Command = {
  name: "prism",
  summary: "run Prism mocks of the same specs (stateless, example-based)",
  help,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, {
      port: { type: "string" },
      host: { type: "string", default: "127.0.0.1" },
      dynamic: { type: "boolean", default: false },
      "no-errors": { type: "boolean", default: false },
      quiet: { type: "boolean", default: false },
    });
    const targets = resolveTargets(positionals, values.port);
    const host = values.host;
    const started: PrismChild[] = [];
    try {
      for (const t of targets) await assertPortFree(host, t.port);
    } catch (error) {
      io.err(`embedkit prism: ${(error as Error).message}; pick another with --port, or stop what holds it`);
      return 2;
    }
    try {
      const children = await Promise.allSettled(
        targets.map((t) =>
          startPrism({
            specFile: specPath(t.info.id as ProviderId),
            host,
            port: t.port,
            basePath: t.info.basePath,
            dynamic: values.dynamic,
            errors: !values["no-errors"],
            ...(values.quiet ? {} : { onLine: (line: string) => io.out(`[${t.info.id}] ${line}`) }),
          }),
        ),
      );
      for (const c of children) if (c.status === "fulfilled") started.push(c.value);
      const failed = children.find((c) => c.status === "rejected");
      if (failed) throw failed.reason;
    } catch (error) {
      await Promise.all(started.map((c) => c.stop()));
      io.err(`embedkit prism: ${(error as Error).message}`);
      return 1;
    }
    for (const t of targets) io.out(`${t.info.name.padEnd(10)} ${baseUrl(host, t.port)}${t.info.basePath}`);
    return supervise(targets, started, io);
  },
};

function resolveTargets(positionals: string[], port: string | undefined): Target[] {
  for (const p of positionals) {
    if (!isProviderId(p))
      throw new UsageError(`unknown provider "${p}"; choose from ${PROVIDER_IDS.join(", ")}`);
  }
  const ids = positionals.length ? [...new Set(positionals as ProviderId[])] : [...PROVIDER_IDS];
  if (port !== undefined && ids.length !== 1) {
    throw new UsageError("--port needs exactly one provider, e.g. embedkit prism cube --port 4100");
  }
  return ids.map((id) => {
    const info = providerInfo(id);
    return { info, port: intFlag("port", port, info.defaultPort, 1, 65_535) };
  });
}

/** The root URL of a server; the provider's base path is appended by the caller. */
export function baseUrl(host: string, port: number): string {
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/** Waits for SIGINT/SIGTERM (exit 0) or the death of any child (exit 1), then stops them all. */
async function supervise(targets: Target[], children: PrismChild[], io: Io): Promise<number> {
  let stopping = false;
  let onSignal: () => void = () => {};
  const signalled = new Promise<number>((resolve) => {
    onSignal = () => {
      stopping = true;
      resolve(0);
    };
  });
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const died = children.map((c, i) =>
    c.exited.then(({ code, signal }) => {
      // Ctrl-C in a terminal reaches Prism too (same process group): that is a stop, not a crash.
      if (stopping || signal === "SIGINT") return 0;
      const last = c.tail().at(-1);
      io.err(
        `embedkit prism: Prism for ${targets[i]?.info.id} exited (${signal ?? `code ${code}`})${last ? `: ${last}` : ""}`,
      );
      return 1;
    }),
  );
  const code = await Promise.race([signalled, ...died]);
  stopping = true;
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  await Promise.all(children.map((c) => c.stop()));
  return code;
}
