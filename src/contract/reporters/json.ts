import type { ContractEvent, Listener } from "../events.js";

/**
 * NDJSON: one event a line, the first carrying the seed and the options, so a run can be replayed
 * (`--seed`) and each failure re-sent (its request is in full in `case-finished`).
 */
export function jsonReporter(write: (line: string) => void): Listener {
  return (event: ContractEvent) => write(JSON.stringify(event));
}
