import type { Check } from "../types.js";

export const negativeDataRejection: Check = {
  id: "negative-data-rejection",
  severity: "high",
  description: "a request with a schema defect is refused with 4xx",
  run: ({ expect, response }) => {
    if (expect.kind !== "invalid") return { skip: "no invalid request could be made" };
    if (response.status >= 400 && response.status < 500) return [];
    return [
      {
        message: `invalid input was not refused (${expect.defect})`,
        expected: "a 4xx status",
        actual: String(response.status),
      },
    ];
  },
};
