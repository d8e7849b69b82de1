import type { RedisOptions, StoreEvent } from "./redis-options.js";
import type { StoreBackend } from "./types.js";

export { memoryBackend } from "./memory.js";
export { maskRedisUrl, REDIS_DEFAULTS, type RedisOptions, type StoreEvent } from "./redis-options.js";
export * from "./types.js";

/**
 * Connects to Redis (see redis.ts). The client library loads only here: `embedkit mock` with the
 * memory store must not pay for it at start-up.
 */
export async function connectRedis(
  options: RedisOptions,
  onEvent?: (event: StoreEvent, detail: string) => void,
): Promise<StoreBackend> {
  const redis = await import("./redis.js");
  return redis.connectRedis(options, onEvent);
}
