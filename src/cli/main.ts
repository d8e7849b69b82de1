#!/usr/bin/env node
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PROVIDERS } from "../openapi/registry.js";
import { type Command, type Io, processIo } from "./command.js";
import { EXIT } from "./exit-codes.js";
import { UsageError } from "./usage-error.js";

/**
 * Commands load lazily: `embedkit mock` must not pay for the contract engine's imports, nor
 * `embedkit test` for Prism's, because start-up time is one of the things we promise.
 */
const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  mock: {
    summary: "run the stateful local providers (all of them when none is named)",
    load: async () => (await import("./commands/mock.js")).mockCommand,
  },
  prism: {
    summary: "run Prism mocks of the same specs (stateless, example-based)",
    load: async () => (await import("./commands/prism.js")).prismCommand,
  },
  test: {
    summary: "contract-test any implementation against a provider's spec",
    load: async () => (await import("./commands/test.js")).testCommand,
  },
  gen: {
    summary: "write a spec's TypeScript types for openapi-fetch",
    load: async () => (await import("./commands/gen.js")).genCommand,
  },
  lint: {
    summary: "lint specs and validate their examples against their schemas",
    load: async () => (await import("./commands/lint.js")).lintCommand,
  },
};

export function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    `embedkit — local providers and contract tests for embed-auth APIs (${PROVIDERS.map((p) => p.name).join(", ")})`,
    "",
    "usage: embedkit <command> [options]",
    "",
    "commands:",
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `embedkit <command> --help` for a command's options.",
  ].join("\n");
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.out(mainHelp());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === "--version" || name === "-v") {
    const { packageRoot } = await import("../openapi/package-root.js");
    const { readFileSync } = await import("node:fs");
    io.out(JSON.parse(readFileSync(`${packageRoot()}/package.json`, "utf8")).version);
    return EXIT.ok;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    const { nearest } = await import("../openapi/nearest.js");
    const hint = nearest(name, Object.keys(COMMANDS));
    io.err(
      `embedkit: unknown command "${name}"${hint ? ` (did you mean ${hint}?)` : ""}. Commands: ${Object.keys(COMMANDS).join(", ")}. See embedkit --help.`,
    );
    return EXIT.usage;
  }
  const command = await entry.load();
  if (rest.includes("--help") || rest.includes("-h")) {
    io.out(typeof command.help === "string" ? command.help : await command.help());
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    // Spec and schema errors are the user's input, like a bad flag: one line, exit 2.
    const kind = (error as Error)?.name;
    if (error instanceof UsageError || kind === "SpecError" || kind === "SchemaError") {
      // One line, so CI logs and `2>&1 | tail -1` show the whole story.
      io.err(`embedkit ${name}: ${(error as Error).message} (see embedkit ${name} --help)`);
      return EXIT.usage;
    }
    throw error;
  }
}

function isEntryPoint(): boolean {
  try {
    return realpathSync(process.argv[1] ?? "") === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      // A bug of ours: one line and exit 2, like any run that could not be done; the stack on request.
      const debug = process.env.EMBEDKIT_DEBUG === "1";
      const text =
        error instanceof Error ? ((debug ? error.stack : error.message) ?? error.message) : String(error);
      console.error(
        `embedkit: internal error: ${text}${debug ? "" : " (a bug in embedkit: rerun with EMBEDKIT_DEBUG=1 for the stack, and report it)"}`,
      );
      process.exitCode = EXIT.usage;
    },
  );
}
