/** A fault injected through `POST /__embedkit/faults`: answer `status` instead of running the handler. */
export interface Fault {
  operationId: string;
  status: number;
  delayMs: number;
  /** 0..1; each matching request draws once. */
  probability: number;
  /** How many more times it may fire; undefined = until cleared. */
  count?: number;
}

export class FaultTable {
  readonly #faults = new Map<string, Fault>();

  set(fault: Fault): void {
    this.#faults.set(fault.operationId, fault);
  }

  clear(operationId?: string): void {
    if (operationId === undefined) this.#faults.clear();
    else this.#faults.delete(operationId);
  }

  list(): Fault[] {
    return [...this.#faults.values()].map((f) => ({ ...f }));
  }

  get size(): number {
    return this.#faults.size;
  }

  /** The fault that fires for this request, if any; spends one of its count. */
  draw(operationId: string): Fault | undefined {
    const fault = this.#faults.get(operationId);
    if (!fault) return undefined;
    if (fault.probability < 1 && Math.random() >= fault.probability) return undefined;
    if (fault.count !== undefined) {
      fault.count -= 1;
      if (fault.count <= 0) this.#faults.delete(operationId);
    }
    return fault;
  }
}
