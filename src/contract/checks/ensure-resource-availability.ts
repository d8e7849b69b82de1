import type { Check } from "../types.js";

/** Schemathesis' check of the same name: what a 2xx just created must be found right after. */
export const ensureResourceAvailability: Check = {
  id: "ensure-resource-availability",
  severity: "high",
  description: "a resource a 2xx just created can be retrieved",
  run: ({ expect, response }) => {
    if (expect.kind !== "available") return "skip";
    if (response.status !== 404 && response.status !== 410) return [];
    return [
      {
        message: `the resource created in step 1 is not retrievable (${expect.resource})`,
        expected: "2xx for the created resource",
        actual: String(response.status),
      },
    ];
  },
};
