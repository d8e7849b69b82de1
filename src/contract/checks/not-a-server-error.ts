import type { Check } from "../types.js";

export const notAServerError: Check = {
  id: "not-a-server-error",
  severity: "critical",
  description: "the service never answers 5xx",
  run: ({ response }) =>
    response.status >= 500
      ? [
          {
            message: "the service answered with a server error",
            expected: "a status below 500",
            actual: String(response.status),
          },
        ]
      : [],
};
