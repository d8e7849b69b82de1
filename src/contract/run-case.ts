import type { Operation, SpecModel } from "../openapi/index.js";
import type { SchemaEngine } from "../schema/index.js";
import { declaredResponse } from "./checks/declared.js";
import { parseJson } from "./expressions.js";
import type {
  Case,
  Check,
  CheckContext,
  CheckResult,
  CheckVerdict,
  Exchange,
  Failure,
  Step,
  TokenKeys,
  WireResponse,
} from "./types.js";

export interface CaseRunContext {
  spec: SpecModel;
  engine: SchemaEngine;
  operations: Map<string, Operation>;
  checks: readonly Check[];
  tokenKeys: TokenKeys;
  /** Operations run without the credential they need (see run-notes.ts). */
  uncredentialed?: Set<string>;
  send: (request: Exchange["request"]) => Promise<WireResponse>;
}

export interface CaseOutcome {
  exchanges: Exchange[];
  results: CheckResult[];
  failures: Failure[];
}

const cap = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;

function failureOf(
  c: Case,
  exchange: Exchange,
  check: Check,
  f: { message: string; expected: string; actual: string },
): Failure {
  const failure: Failure = {
    check: check.id,
    severity: check.severity,
    ...f,
    // Every message and value stays readable in a console: long ones are cut, with their length said.
    message: cap(f.message, 600),
    actual: cap(f.actual, 600),
    caseId: c.id,
    operationId: exchange.operationId,
    origin: c.origin,
    step: exchange.step,
    request: exchange.request,
  };
  if (exchange.response) failure.response = exchange.response;
  return failure;
}

async function runChecks(
  rc: CaseRunContext,
  c: Case,
  step: Step,
  exchange: Exchange,
  previous: Exchange[],
  out: CaseOutcome,
) {
  const operation = rc.operations.get(step.operationId) as Operation;
  const response = exchange.response as WireResponse;
  let parsed: { value: unknown } | undefined;
  const ctx: CheckContext = {
    spec: rc.spec,
    operation,
    exchange,
    response,
    expect: step.expect,
    previous,
    tokenKeys: rc.tokenKeys,
    json: () => {
      parsed ??= { value: parseJson(response.body) };
      return parsed.value;
    },
    // Responses never carry writeOnly properties, so `required` does not demand them there.
    validate: (schema, data, root) => rc.engine.validate(schema, data, root, "response"),
  };
  if (notAuthenticated(rc, step, response)) {
    out.results.push({ check: NOT_AUTHENTICATED, step: exchange.step, status: "skipped" });
    return;
  }
  const declared = declaredResponse(operation, response.status);
  if (declared) ctx.declared = declared;
  for (const check of rc.checks) {
    if (!check.run) continue;
    let verdict: CheckVerdict;
    try {
      verdict = await check.run(ctx);
    } catch (error) {
      // A crashing check is that check's failure, never the run's end.
      verdict = [
        {
          message: `the check crashed: ${(error as Error)?.message ?? String(error)}`,
          expected: "the check to run",
          actual: "an exception",
        },
      ];
    }
    out.results.push(resultOf(check.id, exchange.step, verdict));
    const findings = Array.isArray(verdict) ? verdict : [];
    for (const f of findings) out.failures.push(failureOf(c, exchange, check, f));
  }
}

/** The result recorded instead of the checks for a 401/403 that only says "no credential". */
export const NOT_AUTHENTICATED = "not-authenticated";

function notAuthenticated(rc: CaseRunContext, step: Step, response: WireResponse): boolean {
  if (response.status !== 401 && response.status !== 403) return false;
  // Auth cases included: without the real credential there is nothing to compare a refusal with.
  return rc.uncredentialed?.has(step.operationId) ?? false;
}

function resultOf(check: string, step: number, verdict: CheckVerdict): CheckResult {
  if (verdict === "skip") return { check, step, status: "skipped" };
  if (verdict !== undefined && !Array.isArray(verdict))
    return {
      check,
      step,
      status: "skipped",
      reason: verdict.skip,
      ...(verdict.missingInput ? { missingInput: true } : {}),
    };
  return { check, step, status: verdict?.length ? "failed" : "passed" };
}

/**
 * No response at all is not a check's verdict: it is its own kind of failure, reported whatever
 * checks were selected, and the runner stops the run when the target stops answering.
 */
const TRANSPORT: Check = { id: "transport", severity: "critical", description: "a response came back" };

/** Sends a case's steps in order and runs every selected check on each answer. */
export async function runCase(rc: CaseRunContext, c: Case): Promise<CaseOutcome> {
  const out: CaseOutcome = { exchanges: [], results: [], failures: [] };
  for (const [index, step] of c.steps.entries()) {
    const built =
      typeof step.request === "function"
        ? step.request(out.exchanges)
        : { request: step.request, bodyValue: step.bodyValue };
    if (!built) break;
    const exchange: Exchange = {
      step: index,
      operationId: step.operationId,
      expect: step.expect.kind,
      request: built.request,
    };
    if (built.bodyValue !== undefined) exchange.bodyValue = built.bodyValue;
    const previous = [...out.exchanges];
    out.exchanges.push(exchange);
    try {
      exchange.response = await rc.send(built.request);
    } catch (error) {
      exchange.error = (error as Error).message;
      out.failures.push(
        failureOf(c, exchange, TRANSPORT, {
          message: `no response: ${exchange.error}`,
          expected: "a response",
          actual: exchange.error,
        }),
      );
      break;
    }
    await runChecks(rc, c, step, exchange, previous, out);
    const ok = exchange.response.status >= 200 && exchange.response.status < 300;
    if (step.mustSucceed && !ok) break;
  }
  return out;
}
