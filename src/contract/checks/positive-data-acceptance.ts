import type { Check } from "../types.js";
import { declaresSuccess } from "./declared.js";
import { documentedRule } from "./documented-rule.js";
import { throttledFinding } from "./throttled.js";

/**
 * Schema-valid input may still be refused for reasons the schema cannot see (an unknown
 * deployment, an unknown session id), so, as Schemathesis does, 401, 403 and 404 count as
 * acceptance of the data; 400 and 422 say "your data is wrong", which it is not — unless the
 * status and the message are those of a rule the spec documents in `x-embedkit-rule-statuses`
 * (one the schema cannot express): then the case is skipped, and says which rule refused it.
 */
export const ACCEPTED_STATUSES = [401, 403, 404];

export const positiveDataAcceptance: Check = {
  id: "positive-data-acceptance",
  severity: "high",
  description: "a schema-valid request is not refused as malformed",
  run: ({ expect, response, operation, json }) => {
    if (expect.kind !== "valid") return "skip";
    // An operation that declares no 2xx (only errors, or only `default`) promises no acceptance.
    if (!declaresSuccess(operation)) return "skip";
    if (response.status < 300 || ACCEPTED_STATUSES.includes(response.status) || response.status >= 500)
      return [];
    const expected = `2xx (or ${ACCEPTED_STATUSES.join(", ")})`;
    const throttled = throttledFinding(response, expected, "this valid input");
    if (throttled) return throttled;
    const rule = documentedRule(operation, response, json);
    if (rule) return { skip: `refused by the documented rule ${rule} (x-embedkit-rule-statuses)` };
    return [{ message: "schema-valid input was refused", expected, actual: String(response.status) }];
  },
};
