import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { packageRoot } from "../src/spec/index.js";
import type { MemoryResult } from "./report.js";

/**
 * Runs bench/memory-worker.ts in its own process, so the figure is the emulator's and nothing of
 * the bench's own (autocannon, results) is counted.
 */
export async function measureMemory(sessions: number, users: number): Promise<MemoryResult> {
  const worker = join(packageRoot(), "bench", "memory-worker.ts");
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--expose-gc", "--import", "tsx", worker, String(sessions), String(users)],
    { maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as MemoryResult;
}
