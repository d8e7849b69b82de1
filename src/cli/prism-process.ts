import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { connect, createServer } from "node:net";
import { dirname, join } from "node:path";
import { withBasePath } from "./prism-spec.js";

export interface PrismOptions {
  specFile: string;
  host: string;
  port: number;
  /** json-schema-faker responses instead of the spec's examples. */
  dynamic?: boolean;
  /** Prism flags its own responses that break the spec. */
  errors?: boolean;
  /**
   * The path prefix of the spec's server URL (Cube: "/api"). Prism is given a copy of the spec with
   * it written into every path, so it answers under the same base URL as the vendor.
   */
  basePath?: string;
  /** Called with each line Prism prints (stdout and stderr); lines are kept for errors either way. */
  onLine?: (line: string) => void;
}

export interface PrismChild {
  pid: number;
  /** Resolves when the process has exited, with its code or signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last lines Prism printed, to explain a death. */
  tail: () => string[];
  stop: () => Promise<void>;
}

const TAIL_LINES = 20;
const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;

/** The Prism CLI's entry script, from the pinned dependency rather than whatever `prism` is on PATH. */
export function prismBin(): string {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve("@stoplight/prism-cli/package.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { bin: string | Record<string, string> };
  const bin = typeof manifest.bin === "string" ? manifest.bin : manifest.bin.prism;
  if (!bin) throw new Error("@stoplight/prism-cli declares no prism bin");
  return join(dirname(manifestPath), bin);
}

export function prismArgs(o: PrismOptions, specFile = o.specFile): string[] {
  const args = ["mock", specFile, "--host", o.host, "--port", String(o.port)];
  if (o.errors ?? true) args.push("--errors");
  // Dynamic mode adds random properties to objects unless told not to, and those break
  // additionalProperties: false in our responses.
  if (o.dynamic) args.push("--dynamic", "--json-schema-faker-fillProperties=false");
  return args;
}

/** Resolves when nothing listens on host:port, so a busy port is one clear line, not Prism's usage text. */
export function assertPortFree(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (e: NodeJS.ErrnoException) =>
      reject(new Error(`${host}:${port} is not available (${e.code ?? e.message})`)),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/** Starts Prism and resolves once its port accepts connections; rejects (and kills it) if it dies or hangs. */
export async function startPrism(o: PrismOptions): Promise<PrismChild> {
  const rewritten = o.basePath ? withBasePath(o.specFile, o.basePath) : undefined;
  const child = spawn(process.execPath, [prismBin(), ...prismArgs(o, rewritten?.file)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const prism = wrap(child, o.onLine);
  if (rewritten) prism.exited.then(rewritten.remove, rewritten.remove);
  const died = prism.exited.then(({ code, signal }) => {
    throw new Error(`Prism exited (${signal ?? `code ${code}`}) before ${o.host}:${o.port} answered`);
  });
  try {
    await Promise.race([waitForPort(o.host, o.port, READY_TIMEOUT_MS), died]);
  } catch (error) {
    await prism.stop();
    throw error;
  }
  died.catch(() => {});
  return prism;
}

function wrap(child: ChildProcess, onLine?: (line: string) => void): PrismChild {
  const lines: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split(/\r?\n/)) {
      if (!line.trim()) continue;
      lines.push(line);
      if (lines.length > TAIL_LINES) lines.shift();
      onLine?.(line);
    }
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };
  return { pid: child.pid ?? -1, exited, tail: () => [...lines], stop };
}

/**
 * Polls until the port accepts a connection, or the deadline passes. A TCP connect rather than an
 * HTTP request, so the probe does not show up in Prism's log as a failed route; Prism only listens
 * once the spec is loaded, so an open port means it is ready.
 */
export async function waitForPort(host: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await canConnect(host, port))) {
    if (Date.now() > deadline) throw new Error(`${host}:${port} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(1_000);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
    socket.once("timeout", () => done(false));
  });
}
