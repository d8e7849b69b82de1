import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { packageRoot } from "../../src/openapi/index.js";

/** The shipped bin, as `npm install` links it: what users run, not the TypeScript source. */
export const BIN = join(packageRoot(), "dist", "bundle", "main.js");

export interface BinResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

export interface BinOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Called with each stdout line as it arrives, and the child (to signal it). */
  onLine?: (line: string, child: ChildProcess) => void;
  timeoutMs?: number;
}

/** Runs `node dist/bundle/main.js <argv>` as a child process and collects what it printed. */
export function runBin(argv: string[], o: BinOptions = {}): Promise<BinResult> {
  const child = spawn(process.execPath, [BIN, ...argv], {
    cwd: o.cwd ?? packageRoot(),
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...o.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  let pending = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk;
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) o.onLine?.(line, child);
  });
  child.stderr.on("data", (chunk: Buffer) => {
    err += chunk;
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), o.timeoutMs ?? 60_000);
  return new Promise((resolve) => {
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, out, err });
    });
  });
}

/** The last non-empty line of a text. */
export const lastLine = (text: string) => text.trimEnd().split("\n").at(-1) ?? "";
