import type { Check } from "../types.js";
import { throttledFinding } from "./throttled.js";

/**
 * Schema-valid input may still be refused for reasons the schema cannot see (an unknown
 * deployment, an unknown session id), so, as Schemathesis does, 401, 403 and 404 count as
 * acceptance of the data; 400 and 422 say "your data is wrong", which it is not.
 */
export const ACCEPTED_STATUSES = [401, 403, 404];

export const positiveDataAcceptance: Check = {
  id: "positive-data-acceptance",
  severity: "high",
  description: "a schema-valid request is not refused as malformed",
  run: ({ expect, response }) => {
    if (expect.kind !== "valid") return "skip";
    if (response.status < 300 || ACCEPTED_STATUSES.includes(response.status) || response.status >= 500)
      return [];
    const expected = `2xx (or ${ACCEPTED_STATUSES.join(", ")})`;
    return (
      throttledFinding(response, expected, "this valid input") ?? [
        { message: "schema-valid input was refused", expected, actual: String(response.status) },
      ]
    );
  },
};
