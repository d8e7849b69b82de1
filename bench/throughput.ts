import { type LoadOptions, type LoadResult, load } from "./lib/load.js";
import { freePort, startServer, treePeakRssMb } from "./lib/process.js";
import type { Target } from "./lib/targets.js";

export interface ThroughputResult extends LoadResult {
  target: string;
  peakRssMb: number;
}

export interface Scenario {
  /** Path under the server root, e.g. /api/v1/embed/generate-session. */
  path: (target: Target) => string;
  load: Omit<LoadOptions, "url" | "nextBody">;
  /** Prepares per-run state after the server is up (e.g. fresh sessions), outside the timed window. */
  prepare?: (baseUrl: string, target: Target) => Promise<(() => string) | undefined>;
  /** A request that must succeed before the run, so a broken target fails loudly instead of measuring 4xx. */
  probe: (baseUrl: string, target: Target) => Promise<boolean>;
}

/** Starts the target on a free port, loads it, and reads its peak RSS before stopping it. */
export async function measureThroughput(target: Target, scenario: Scenario): Promise<ThroughputResult> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = await startServer(
    target.command,
    target.args(port),
    () => scenario.probe(base, target),
    30_000,
    target.env,
  );
  try {
    const nextBody = await scenario.prepare?.(base, target);
    const result = await load({
      ...scenario.load,
      url: base + scenario.path(target),
      ...(nextBody ? { nextBody } : {}),
    });
    return { target: target.label, ...result, peakRssMb: treePeakRssMb(server.child.pid) };
  } finally {
    await server.stop();
  }
}
