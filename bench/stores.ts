import { createClient } from "redis";
import { startRedis } from "../test/support/redis-server.js";
import { embedkitWith } from "./lib/targets.js";
import { measureMemory } from "./memory.js";
import type { MemoryResult, StoreRow } from "./report.js";
import { exchangeSession, generateSession } from "./scenarios.js";
import { measureThroughput } from "./throughput.js";

/**
 * Cube's generate-session and exchange with the memory store, with Redis, and with two workers on
 * Redis, in one run (a redis-server started here on a free loopback port, without persistence);
 * then the emulator's RSS with `sessions` live sessions held in Redis, beside Redis's own growth.
 */
export async function measureStores(
  connections: number,
  durationSeconds: number,
  exchangeAmount: number,
  sessions: number,
  users: number,
  log: (line: string) => void,
): Promise<{ rows: StoreRow[]; redisMemory: MemoryResult }> {
  const redis = await startRedis();
  try {
    let prefix = 0;
    const variants: [string, string[]][] = [
      ["memory", []],
      ["Redis", ["--store", redis.url]],
      ["Redis, --workers 2", ["--store", redis.url, "--workers", "2"]],
    ];
    const rows: StoreRow[] = [];
    for (const [label, args] of variants) {
      log(`  ${label}`);
      const target = embedkitWith("cube", `embedkit, ${label}`, [
        ...args,
        "--store-prefix",
        `bench${prefix++}:`,
      ]);
      const generate = await measureThroughput(target, generateSession(connections, durationSeconds));
      const exchange = await measureThroughput(target, exchangeSession(connections, exchangeAmount));
      rows.push({ store: label, generate, exchange });
    }
    log(`  RSS with ${sessions} live sessions in Redis`);
    const client = createClient({ url: redis.url });
    await client.connect();
    const usedMemory = async () =>
      Number(/used_memory:(\d+)/.exec(await client.info("memory"))?.[1] ?? Number.NaN);
    const redisMemory = await measureMemory(sessions, users, {
      label: "Redis",
      args: ["--store", redis.url, "--store-prefix", "bench-memory:"],
      liveBytes: usedMemory,
    });
    client.destroy();
    return { rows, redisMemory };
  } finally {
    await redis.stop();
  }
}
