import type { Check } from "../types.js";
import { mediaMatches, mediaType } from "./declared.js";

export const contentTypeConformance: Check = {
  id: "content-type-conformance",
  severity: "medium",
  description: "the Content-Type is one the declared response lists",
  run: ({ declared, response }) => {
    if (!declared) return "skip";
    const types = Object.keys(declared.content);
    const actual = mediaType(response.headers["content-type"]);
    if (types.length === 0) {
      if (response.body === "") return [];
      return [
        {
          message: "the response has a body where the spec declares none",
          expected: "no body",
          actual: actual || "a body without Content-Type",
        },
      ];
    }
    if (types.some((t) => mediaMatches(t, actual))) return [];
    return [
      {
        message: `Content-Type ${actual || "(missing)"} is not declared for status ${response.status}`,
        expected: types.join(" or "),
        actual: actual || "(missing)",
      },
    ];
  },
};
