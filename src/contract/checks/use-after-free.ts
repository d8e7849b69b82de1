import type { Check } from "../types.js";

/** Schemathesis' check of the same name: what a 2xx just deleted must not be served again. */
export const useAfterFree: Check = {
  id: "use-after-free",
  severity: "high",
  description: "a resource a 2xx just deleted is no longer returned",
  run: ({ expect, response }) => {
    if (expect.kind !== "freed") return "skip";
    if (response.status < 200 || response.status >= 300) return [];
    return [
      {
        message: `the resource deleted in the previous step is still returned (${expect.resource})`,
        expected: "404 or 410 after the delete",
        actual: String(response.status),
      },
    ];
  },
};
