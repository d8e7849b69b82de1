import type { ContractEvent, Listener } from "../events.js";
import { NO_MASK, type SecretMask } from "./secrets.js";

/**
 * NDJSON: one event a line, the first carrying the seed and the options, so a run can be replayed
 * (`--seed`) and each failure re-sent (its request is in full in `case-finished`). Given secrets
 * are masked in every line.
 */
export function jsonReporter(write: (line: string) => void, mask: SecretMask = NO_MASK): Listener {
  return (event: ContractEvent) => write(mask.text(JSON.stringify(event)));
}
