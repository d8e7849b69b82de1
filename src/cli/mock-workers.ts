import cluster, { type Worker } from "node:cluster";
import type { Io } from "./command.js";

/** What a worker tells the primary once every provider listens. */
export const READY = "embedkit:ready";

/** In a worker: tell the primary this replica serves. */
export function reportReady(): void {
  if (cluster.isWorker) process.send?.(READY);
}

export const isWorker = () => cluster.isWorker;

/** In a worker, the channel to the primary would keep the process alive after its servers closed. */
export async function leavePrimary(stopped: Promise<number>): Promise<number> {
  const code = await stopped;
  if (cluster.isWorker) process.disconnect?.();
  return code;
}

/** Only the first worker prints the banner; the others would repeat it word for word. */
export const isFirstWorker = () => !cluster.isWorker || cluster.worker?.id === 1;

/**
 * The primary of `embedkit mock --workers N`: N processes of the same command on the same ports
 * (node:cluster hands connections out in turn), sharing state through the configured store. A
 * worker that fails to start stops them all (exit 2); one that dies later is replaced; SIGINT or
 * SIGTERM stops them all (exit 0).
 */
export function runPrimary(
  workers: number,
  argv: string[],
  io: Io,
  env: Record<string, string>,
): Promise<number> {
  cluster.setupPrimary({ exec: process.argv[1] ?? "", args: ["mock", ...argv] });
  return new Promise((resolve) => {
    let ready = 0;
    let stopping = false;
    const live = new Set<Worker>();
    const stopAll = (code: number) => {
      if (stopping) return;
      stopping = true;
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      if (live.size === 0) resolve(code);
      for (const w of live) w.process.kill("SIGTERM");
      cluster.on("exit", (w) => {
        live.delete(w);
        if (live.size === 0) resolve(code);
      });
    };
    const onSignal = () => stopAll(0);
    const fork = () => {
      const worker = cluster.fork(env);
      live.add(worker);
      let serving = false;
      worker.on("message", (message) => {
        if (message !== READY || serving) return;
        serving = true;
        ready += 1;
        if (ready === workers)
          io.out(`embedkit mock: ${workers} workers serve the ports above, one shared store`);
      });
      worker.on("exit", (code) => {
        live.delete(worker);
        if (stopping) return;
        if (!serving) return stopAll(code === 0 ? 2 : (code ?? 2));
        io.err(`embedkit mock: worker ${worker.process.pid} exited (${code}); starting another`);
        fork();
      });
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    for (let i = 0; i < workers; i++) fork();
  });
}
