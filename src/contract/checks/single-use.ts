import type { Check } from "../types.js";
import { throttledFinding } from "./throttled.js";

export const singleUse: Check = {
  id: "single-use",
  severity: "critical",
  description: "a credential the spec marks x-embedkit-single-use is refused the second time",
  run: ({ expect, response }) => {
    if (expect.kind !== "refused") return { skip: "only a second use of a single-use credential" };
    if (response.status === expect.status) return [];
    const throttled = throttledFinding(response, String(expect.status), "the second use");
    if (throttled) return throttled;
    return [
      {
        message: `the same request was answered ${response.status} a second time (${expect.reason})`,
        expected: String(expect.status),
        actual: String(response.status),
      },
    ];
  },
};
