import { setTimeout as delay } from "node:timers/promises";
import type { Transport } from "./transports/transport.js";
import type { WireRequest, WireResponse } from "./types.js";

export interface RetryOptions {
  /** The longest Retry-After the run waits for; longer ones are reported as throttling. 0: never wait. */
  maxWaitMs: number;
  /** Re-sends of one request. */
  maxAttempts: number;
  /** How to wait (tests move an emulator's clock instead of sleeping). */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const DEFAULTS: RetryOptions = {
  maxWaitMs: 60_000,
  maxAttempts: 3,
  sleep: (ms, signal) => delay(ms, undefined, signal ? { signal } : {}).catch(() => undefined),
};

/** Retry-After in milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

interface Hooks {
  stopped: () => boolean;
  signal?: AbortSignal;
  onRetry: (request: WireRequest, waitMs: number, attempt: number) => void;
}

/**
 * A send that honours a 429's Retry-After within a bound: a rate-limited service (Explo's 180 a
 * minute) answers the request after the wait instead of failing the run. Every wait is counted
 * and announced; a wait beyond the bound leaves the 429 to the checks, which call it throttling.
 */
export function retryingSend(
  transport: Transport,
  options: Partial<RetryOptions> | undefined,
  tally: { count: number; waitedMs: number },
  hooks: Hooks,
): (request: WireRequest) => Promise<WireResponse> {
  const o = { ...DEFAULTS, ...options };
  return async (request) => {
    let response = await transport.send(request);
    for (let attempt = 1; response.status === 429 && attempt <= o.maxAttempts; attempt++) {
      const wait = retryAfterMs(response.headers["retry-after"]);
      if (wait === undefined || wait > o.maxWaitMs || hooks.stopped()) break;
      hooks.onRetry(request, wait, attempt);
      await o.sleep(wait, hooks.signal);
      tally.count++;
      tally.waitedMs += wait;
      if (hooks.stopped()) break;
      response = await transport.send(request);
    }
    return response;
  };
}
