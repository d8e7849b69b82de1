import { describe, expect, it } from "vitest";
import { positiveDataAcceptance } from "../../src/contract/checks/positive-data-acceptance.js";
import { singleUse } from "../../src/contract/checks/single-use.js";
import { consoleReporter } from "../../src/contract/index.js";
import type { Check, CheckContext, Expectation, Failure, WireResponse } from "../../src/contract/types.js";

const runOf = (check: Check) => check.run as NonNullable<Check["run"]>;

const response = (status: number, headers: Record<string, string> = {}): WireResponse => ({
  status,
  headers,
  body: "",
  durationMs: 0,
});
/** An operation with a 2xx that documents no rules, so a 400 is the service's own refusal. */
const operation = { responses: { "200": {}, "400": {} }, extensions: {} };
const ctx = (expect: Expectation, r: WireResponse) =>
  ({ expect, response: r, operation, json: () => undefined }) as unknown as CheckContext;
const VALID: Expectation = { kind: "valid" };
const AGAIN: Expectation = { kind: "refused", status: 401, reason: "used once" };

describe("a 429 is reported as throttling, not as the defect a check looks for", () => {
  it.each([
    [
      "positive-data-acceptance",
      runOf(positiveDataAcceptance),
      VALID,
      response(429, { "retry-after": "7" }),
      /throttled the run \(429, Retry-After 7\), so this valid input was never judged/,
    ],
    [
      "positive-data-acceptance",
      runOf(positiveDataAcceptance),
      VALID,
      response(400),
      /^schema-valid input was refused$/,
    ],
    [
      "single-use",
      runOf(singleUse),
      AGAIN,
      response(429),
      /throttled the run \(429\), so the second use was never judged/,
    ],
    ["single-use", runOf(singleUse), AGAIN, response(200), /answered 200 a second time/],
  ] as const)("%s, %#", (_, run, expectation, r, message) => {
    const findings = run(ctx(expectation, r));
    expect(Array.isArray(findings) && findings.length).toBe(1);
    expect((findings as { message: string }[])[0]?.message).toMatch(message);
  });

  it.each([
    [runOf(positiveDataAcceptance), VALID, 200],
    [runOf(singleUse), AGAIN, 401],
  ] as const)("and the right answer still passes (%#)", (run, expectation, status) => {
    expect(run(ctx(expectation, response(status)))).toEqual([]);
  });
});

describe("the console lists a few failures of each kind", () => {
  const failure = (check: string, n: number): Failure => ({
    check,
    severity: "high",
    message: `${check} broke`,
    expected: "x",
    actual: "y",
    caseId: `op/positive/${n}`,
    operationId: "op",
    origin: { phase: "positive", detail: "d" },
    step: 0,
    request: { method: "POST", path: "/p", headers: {} },
  });

  it("so one defect seen many times does not hide another behind it", () => {
    const lines: string[] = [];
    const failures = [
      ...Array.from({ length: 60 }, (_, i) => failure("token-claims", i)),
      failure("single-use", 99),
    ];
    const summary = {
      seed: 1,
      baseUrl: "http://127.0.0.1:1",
      cases: 61,
      passedCases: 0,
      failedCases: 61,
      failures,
      table: {},
      durationMs: 1,
      casesPerSecond: 1,
      casesRun: 61,
      notExercised: [],
      retries: { count: 0, waitedMs: 0 },
      notAuthenticated: 0,
      notes: [],
    };
    consoleReporter((l) => lines.push(l))({ type: "run-finished", summary });
    const text = lines.join("\n");
    expect(text.match(/^\d+\. \[token-claims\]/gm)).toHaveLength(3);
    expect(text).toContain("… and 57 more [token-claims] op failure(s) with this message");
    expect(text).toMatch(/^4\. \[single-use\] op/m);
    expect(text).not.toMatch(/more \(see --report/);
  });
});
