import type { Clock } from "./types.js";

export const systemClock: Clock = { now: () => Date.now() };

/**
 * The emulator's clock: the injected (or system) clock plus an offset that the control plane can
 * move, so `POST /__embedkit/clock {advanceSeconds: 301}` expires a session without sleeping.
 */
export class AdjustableClock implements Clock {
  #offsetMs = 0;
  constructor(private readonly base: Clock) {}

  now(): number {
    return this.base.now() + this.#offsetMs;
  }

  get offsetMs(): number {
    return this.#offsetMs;
  }

  advance(ms: number): void {
    this.#offsetMs += ms;
  }

  set(epochMs: number): void {
    this.#offsetMs = epochMs - this.base.now();
  }

  reset(): void {
    this.#offsetMs = 0;
  }
}
