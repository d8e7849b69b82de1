import type { Clock } from "../kit/types.js";

interface Window {
  start: number;
  count: number;
}

/**
 * A fixed-window counter per client IP, like Explo's 180 requests a minute
 * (https://docs.explo.co/security/rate-limits). Windows are measured on the emulator's clock, so a
 * test can move past one; stale windows are swept so memory stays bounded.
 */
export class RateLimiter {
  readonly #windows = new Map<string, Window>();
  readonly #windowMs: number;

  constructor(
    private readonly limit: number,
    windowSeconds: number,
    private readonly clock: Clock,
  ) {
    this.#windowMs = windowSeconds * 1000;
  }

  /** Undefined when allowed; otherwise the seconds until the window has room again. */
  hit(ip: string): number | undefined {
    const now = this.clock.now();
    let w = this.#windows.get(ip);
    if (!w || now - w.start >= this.#windowMs || now < w.start) {
      w = { start: now, count: 0 };
      this.#windows.set(ip, w);
    }
    w.count += 1;
    if (w.count <= this.limit) return undefined;
    return Math.max(1, Math.ceil((w.start + this.#windowMs - now) / 1000));
  }

  sweep(): void {
    const now = this.clock.now();
    for (const [ip, w] of this.#windows) if (now - w.start >= this.#windowMs) this.#windows.delete(ip);
  }

  reset(): void {
    this.#windows.clear();
  }
}
