export interface RedisOptions {
  /** `redis://[user:password@]host:port/db` (or `rediss://`). */
  url: string;
  /** Prepended to every key, so several environments can share one Redis. */
  keyPrefix: string;
  /** A command not answered by then fails the request with the declared status instead of hanging. */
  commandTimeoutMs: number;
}

export const REDIS_DEFAULTS = { keyPrefix: "embedkit:", commandTimeoutMs: 1_000 } as const;

export type StoreEvent = "lost" | "restored";

/** The URL without its credentials, for start-up lines and errors. */
export function maskRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable URL)";
  }
}
