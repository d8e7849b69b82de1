import {
  connectRedis,
  type Logger,
  maskRedisUrl,
  memoryBackend,
  REDIS_DEFAULTS,
  type StoreBackend,
  StoreUnavailableError,
} from "../emulator/index.js";
import type { Io } from "./command.js";

/**
 * Opens the store a plan names: memory, or a Redis that must answer now. An unreachable Redis is one
 * line naming the URL (credentials masked) and exit 2, before any port is taken. Later losses are
 * logged once each way (lost, back); requests meanwhile get the spec's declared 503.
 */
export async function openStore(
  store: string,
  storePrefix: string,
  io: Io,
  logger: Logger,
): Promise<StoreBackend | number> {
  if (store === "memory") return memoryBackend();
  try {
    return await connectRedis(
      { url: store, keyPrefix: storePrefix, commandTimeoutMs: REDIS_DEFAULTS.commandTimeoutMs },
      (event, detail) =>
        event === "lost"
          ? logger.log("warn", "state store lost; answering 503 until it is back", {
              store: maskRedisUrl(store),
              error: detail,
            })
          : logger.log("info", "state store back", { store: detail }),
    );
  } catch (error) {
    if (!(error instanceof StoreUnavailableError)) throw error;
    io.err(
      `embedkit mock: cannot reach the state store at ${error.where} (${error.reason}); start Redis there or use --store memory`,
    );
    return 2;
  }
}
