import type { Finding, WireResponse } from "../types.js";

/**
 * A 429 says nothing about the request: the service refused to judge it. A check that needed that
 * judgement reports the case as throttled, not as the defect it looks for, so a run against a
 * rate-limited service says what actually happened and how to avoid it.
 */
export function throttledFinding(
  response: WireResponse,
  expected: string,
  what: string,
): Finding[] | undefined {
  if (response.status !== 429) return undefined;
  const retry = response.headers["retry-after"];
  return [
    {
      message: `the service throttled the run (429${retry ? `, Retry-After ${retry}` : ""}), so ${what} was never judged; lower --concurrency or lift the limit`,
      expected,
      actual: "429",
    },
  ];
}
