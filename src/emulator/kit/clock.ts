import type { Clock } from "./types.js";

export const systemClock: Clock = { now: () => Date.now() };

/**
 * The emulator's clock: the injected (or system) clock plus an offset that the control plane can
 * move, so `POST /__embedkit/clock {advanceSeconds: 301}` expires a session without sleeping. The
 * offset lives in the store (shared by every replica on one Redis); this is its copy in the
 * process, brought up to date before each request runs.
 */
export class AdjustableClock implements Clock {
  #offsetMs = 0;
  constructor(readonly base: Clock) {}

  now(): number {
    return this.base.now() + this.#offsetMs;
  }

  get offsetMs(): number {
    return this.#offsetMs;
  }

  /** Takes the store's offset. */
  sync(offsetMs: number): void {
    this.#offsetMs = offsetMs;
  }
}
