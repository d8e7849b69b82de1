import { type ParseArgsConfig, parseArgs } from "node:util";
import { nearest } from "../openapi/index.js";
import { UsageError } from "./usage-error.js";

/** Where a command writes; tests pass their own to capture output. */
export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Calls `handler` on Ctrl-C (SIGINT) until the returned function is called. */
  onInterrupt?: (handler: () => void) => () => void;
}

export const processIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  cwd: process.cwd(),
  onInterrupt: (handler) => {
    process.on("SIGINT", handler);
    return () => process.off("SIGINT", handler);
  },
};

export interface Command {
  name: string;
  /** One line for `embedkit --help`. */
  summary: string;
  /** The full text of `embedkit <name> --help`; a function when it lists what the providers declare. */
  help: string | (() => Promise<string>);
  /**
   * Runs the command. Resolves to the exit code: 0 ok, 1 the check found failures, 2 usage or spec
   * error. Long-running commands (servers) resolve when they have stopped.
   */
  run: (argv: string[], io: Io) => Promise<number>;
}

type Options = NonNullable<ParseArgsConfig["options"]>;

type ParsedFlags<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: boolean }>
>;

/**
 * node:util parseArgs, strict, with its errors turned into UsageError so that every command reports
 * a bad flag the same way: one line and exit 2.
 */
export function parseFlags<O extends Options>(
  argv: string[],
  options: O,
  allowPositionals = true,
): ParsedFlags<O> {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals });
  } catch (error) {
    const message = (error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, "");
    const unknown = /^Unknown option '(-{1,2}[^']+)'/.exec(message)?.[1];
    // node's text goes on about positionals after "--"; a slip of the keyboard is likelier.
    throw new UsageError(unknown ? `Unknown option '${unknown}'${suggestion(unknown, options)}` : message);
  }
}

/** " (did you mean --max-cases?)" for an unknown option close to a known one. */
function suggestion(unknown: string, options: Options): string {
  const known = [...Object.keys(options).map((o) => `--${o}`), "--help"];
  const hint = nearest(unknown.split("=")[0] ?? unknown, known);
  return hint ? ` (did you mean ${hint}?)` : "";
}

/** Parses a whole number flag within bounds, or throws UsageError naming the flag. */
export function intFlag(
  name: string,
  value: string | undefined,
  fallback: number,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${value}"`);
  }
  return n;
}
