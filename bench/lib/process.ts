import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";

/** A free TCP port on 127.0.0.1, chosen by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface Server {
  child: ChildProcess;
  /** Milliseconds from spawn until the first successful request. */
  readyMs: number;
  stop: () => Promise<void>;
}

/**
 * Spawns a server and polls `probe` until it answers, which is what a user's CI waits for.
 * Polling every 5 ms keeps the measurement's own error small next to 100+ ms start-ups.
 */
export async function startServer(
  command: string,
  args: string[],
  probe: () => Promise<boolean>,
  timeoutMs = 30_000,
  env: Record<string, string> = {},
): Promise<Server> {
  const started = performance.now();
  const child = spawn(command, args, {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, ...env },
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 5000).unref();
    });
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${command} ${args.join(" ")} exited early: ${stderr}`);
    if (performance.now() - started > timeoutMs) {
      await stop();
      throw new Error(`${command} ${args.join(" ")} did not answer within ${timeoutMs} ms: ${stderr}`);
    }
    if (await probe().catch(() => false)) return { child, readyMs: performance.now() - started, stop };
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Peak resident set size of a live process in MB (VmHWM), or NaN where /proc is not there. */
export function peakRssMb(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** A process and its children (the workers of `--workers N`). */
function withChildren(pid: number): number[] {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
      .trim()
      .split(/\s+/)
      .filter(Boolean);
    return [pid, ...children.map(Number)];
  } catch {
    return [pid];
  }
}

/** Peak RSS of a process and its children together, in MB (the sum of each one's VmHWM). */
export function treePeakRssMb(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  return withChildren(pid).reduce((sum, p) => sum + peakRssMb(p), 0);
}

/** Current resident set size of a live process in MB (VmRSS). */
export function rssMb(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
