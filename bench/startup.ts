import { freePort, median, startServer } from "./lib/process.js";
import type { Target } from "./lib/targets.js";

export interface StartupResult {
  target: string;
  runs: number[];
  medianMs: number;
  minMs: number;
  maxMs: number;
}

/** Spawn → first successful generate-session, `runs` times, a fresh process and port each time. */
export async function measureStartup(
  target: Target,
  runs: number,
  request: (port: number) => Promise<boolean>,
): Promise<StartupResult> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const port = await freePort();
    const server = await startServer(target.command, target.args(port), () => request(port));
    times.push(server.readyMs);
    await server.stop();
  }
  return {
    target: target.label,
    runs: times,
    medianMs: median(times),
    minMs: Math.min(...times),
    maxMs: Math.max(...times),
  };
}
