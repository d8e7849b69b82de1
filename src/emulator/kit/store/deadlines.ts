/**
 * A deadline for every Redis command in flight, kept by one timer for all of them.
 *
 * The client's own per-command `timeout` is not enough and costs too much: it only covers the
 * wait to be *written* (a command already sent to a Redis that stopped answering — paused, swapped
 * out, a partition without a reset — waits for its reply forever), and it builds an AbortSignal,
 * a timer and listeners for every command, about a fifth of the emulator's CPU under load.
 * Every command here has the same timeout, so deadlines arrive in order and a FIFO is enough.
 */
interface Pending {
  at: number;
  settled: boolean;
  reject: (error: unknown) => void;
}

export class Deadlines {
  #queue: Pending[] = [];
  #head = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly timeoutMs: number,
    private readonly expired: () => Error,
  ) {}

  /** Settles like `work`, or rejects with `expired()` once the timeout has passed, whichever is first. */
  guard<T>(work: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry: Pending = { at: performance.now() + this.timeoutMs, settled: false, reject };
      this.#queue.push(entry);
      this.#arm();
      work.then(
        (value) => {
          entry.settled = true;
          resolve(value);
        },
        (error: unknown) => {
          entry.settled = true;
          reject(error);
        },
      );
    });
  }

  #arm() {
    if (this.#timer) return;
    // A tenth of the timeout: a command is failed at most 10% late; unref'd so it never keeps a process alive.
    this.#timer = setInterval(() => this.#expire(), Math.max(5, Math.floor(this.timeoutMs / 10)));
    this.#timer.unref();
  }

  #expire() {
    const now = performance.now();
    const queue = this.#queue;
    while (this.#head < queue.length) {
      const entry = queue[this.#head] as Pending;
      if (!entry.settled) {
        if (entry.at > now) break;
        entry.settled = true;
        entry.reject(this.expired());
      }
      this.#head++;
    }
    if (this.#head === queue.length) {
      this.#queue = [];
      this.#head = 0;
      clearInterval(this.#timer);
      this.#timer = undefined;
    } else if (this.#head > 1024 && this.#head * 2 > queue.length) {
      this.#queue = queue.slice(this.#head);
      this.#head = 0;
    }
  }
}
