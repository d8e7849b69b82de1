import type { Check } from "../types.js";

export const ignoredAuth: Check = {
  id: "ignored-auth",
  severity: "critical",
  description: "a missing, malformed or unknown credential is refused",
  run: ({ expect, response }) => {
    if (expect.kind !== "unauthorized") return { skip: "the operation needs no credential" };
    if (response.status >= 400) return [];
    return [
      {
        message: `the operation answered ${response.status} with ${expect.defect}`,
        expected: "401 or 403",
        actual: String(response.status),
      },
    ];
  },
};
