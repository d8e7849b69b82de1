import type { Check } from "../types.js";

export const statusCodeConformance: Check = {
  id: "status-code-conformance",
  severity: "medium",
  description: "the status code is one the operation declares",
  run: ({ operation, response, declared }) => {
    if (declared) return [];
    return [
      {
        message: `status ${response.status} is not declared for ${operation.id}`,
        expected: `one of ${Object.keys(operation.responses).join(", ")}`,
        actual: String(response.status),
      },
    ];
  },
};
