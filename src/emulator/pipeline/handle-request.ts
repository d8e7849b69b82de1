import { formatProblem } from "../../schema/index.js";
import { clip } from "../kit/clip.js";
import { type Admission, type Fault, StoreUnavailableError } from "../kit/store/index.js";
import type { EmuRequest, EmuResponse, Reply } from "../kit/types.js";
import { handleControl } from "./control-plane.js";
import { matchEmbedRoute, runEmbedRoute } from "./embed-routes.js";
import { ALLOW_HOST_HINT, hostName } from "./host-guard.js";
import {
  type CompiledOperation,
  errorReply,
  jsonResponse,
  type Kernel,
  replyToResponse,
  storeUnavailableReply,
} from "./kernel.js";
import { parsePrefer, sleep } from "./prefer.js";
import { bodyOverLimit, overLimit } from "./request-limits.js";
import { steeredReply } from "./steering.js";

const CONTROL_PREFIX = "/__embedkit/";
const CORS_HEADERS = { "access-control-allow-origin": "*" };
const utf8 = new TextDecoder("utf-8", { fatal: true });
/** Deeper JSON is refused: tokens and logs serialise bodies recursively, and would overflow the stack. */
const MAX_DEPTH = 64;
/** A reply lists at most this many validation problems: a huge invalid array must not make a huge answer. */
const MAX_PROBLEMS = 20;
/** Bodies above this are not kept in the journal, so 500 entries cannot hold 500 large bodies. */
const JOURNAL_BODY_BYTES = 16 * 1024;
/** Bodies above this are checked for their first schema problem only. */
const FULL_REPORT_BYTES = 64 * 1024;

/** What the journal learns while a request is handled. */
interface Trace {
  operationId: string | undefined;
  body: unknown;
  bodyIsJson?: boolean;
  problems: string[];
}

/**
 * The one request path, for sockets and for `fetch(request)` alike. Never throws: a bug in a handler
 * is answered 500 in the provider's envelope, and the server keeps running.
 */
export async function handleRequest(kernel: Kernel, req: EmuRequest): Promise<EmuResponse> {
  const control = req.path.startsWith(CONTROL_PREFIX) || req.path === "/__embedkit";
  if (!kernel.hostGuard.allows(req.headers.host)) return refuseHost(kernel, req, control);
  if (control)
    return handleControl(kernel, req).catch((error: unknown) => internalError(kernel, error, "control"));
  const started = performance.now();
  const trace: Trace = { operationId: undefined, body: undefined, problems: [] };
  let response: EmuResponse;
  try {
    response = await dispatch(kernel, req, trace);
  } catch (error) {
    if (error instanceof StoreUnavailableError) {
      // The store logs the loss once; every request of the outage is answered the declared way.
      const cors = kernel.operations.get(trace.operationId ?? "")?.cors;
      response = replyToResponse(storeUnavailableReply(kernel), cors ? CORS_HEADERS : undefined);
    } else {
      response = internalError(kernel, error, trace.operationId ?? "-");
    }
  }
  // Error messages echo what was sent (a path, a branch, a key_id); a configured secret never shows.
  if (response.status >= 400 && response.body) response.body = kernel.redactor.text(response.body);
  const durationMs = Math.round((performance.now() - started) * 100) / 100;
  kernel.journal.add({
    at: kernel.clock.now(),
    method: req.method,
    path: req.path,
    operationId: trace.operationId,
    status: response.status,
    durationMs,
    remoteAddress: req.remoteAddress,
    headers: req.headers,
    body: trace.body,
    bodyIsJson: trace.bodyIsJson,
    problems: trace.problems,
  });
  // Building the line (and redacting the path) costs more than the rest of a request's
  // bookkeeping, so it is skipped when the logger would drop it anyway (--quiet).
  if (kernel.logger.enabled?.("info") !== false) {
    kernel.logger.log("info", "request", {
      method: req.method,
      path: clip(kernel.redactor.text(req.path), 200),
      status: response.status,
      durationMs,
    });
  }
  return response;
}

/**
 * A foreign Host (a DNS-rebinding page, or a name the user did not allow): 403 on every route, in the
 * provider's envelope (on the control plane with its `error` too), and one log line per name that
 * says how to allow it.
 */
function refuseHost(kernel: Kernel, req: EmuRequest, control: boolean): EmuResponse {
  const host = req.headers.host ?? "";
  const name = JSON.stringify(clip(hostName(host), 100));
  const message = `Host ${name} is not allowed; to allow it: ${ALLOW_HOST_HINT}`;
  if (kernel.hostGuard.firstRefusal(host)) {
    kernel.logger.log("warn", `refused Host ${name} (DNS-rebinding guard); to allow it: ${ALLOW_HOST_HINT}`);
  }
  const body = kernel.definition.envelope(403, message) as object;
  return jsonResponse(403, control ? { ...body, error: message } : body);
}

/** A bug, not bad input: logged (redacted) and answered 500 in the envelope; the server keeps running. */
export function internalError(kernel: Kernel, error: unknown, where: string): EmuResponse {
  kernel.logger.log("error", "handler failed", {
    operationId: where,
    error: kernel.redactor.text(error instanceof Error ? error.message : String(error)),
  });
  return replyToResponse(errorReply(kernel, 500, "Internal error in the embedkit emulator"));
}

async function dispatch(kernel: Kernel, req: EmuRequest, trace: Trace): Promise<EmuResponse> {
  const embed = kernel.embedRoutes.length > 0 ? matchEmbedRoute(kernel.embedRoutes, req.path) : undefined;
  if (embed) {
    trace.operationId = embed.route.id;
    return runEmbedRoute(kernel, embed, req);
  }
  const match = kernel.router.match(req.method, req.path);
  if (match.kind === "not-found") {
    return replyToResponse(
      errorReply(kernel, 404, `No operation at ${clip(req.method, 20)} ${clip(req.path, 200)}`),
    );
  }
  if (match.kind === "method-not-allowed") {
    const cors = match.operations.some((op) => kernel.operations.get(op.id)?.cors);
    if (req.method === "OPTIONS" && cors) return preflight(match.allow, req.headers);
    const reply = errorReply(
      kernel,
      405,
      `Method ${clip(req.method, 20)} not allowed; use ${match.allow.join(", ")}`,
    );
    return replyToResponse(reply, { allow: match.allow.join(", ") });
  }
  const compiled = kernel.operations.get(match.operation.id) as CompiledOperation;
  trace.operationId = compiled.operation.id;
  const reply = await run(kernel, compiled, req, trace);
  return replyToResponse(reply, compiled.cors ? CORS_HEADERS : undefined);
}

/** Header names a preflight may ask for: tokens separated by commas, nothing else echoed. */
const HEADER_LIST = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+(\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$/;

/**
 * The preflight of a call browsers make (Cube's exchange, the Embed SDK's calls): like the vendor, it allows the headers the
 * browser asks for (an SDK may add its own), and never credentials.
 */
function preflight(allow: string[], headers: EmuRequest["headers"]): EmuResponse {
  const asked = headers["access-control-request-headers"]?.trim() ?? "";
  // Otherwise the headers embed SDKs send: the embed token travels in Authorization (Cube's `Embed-Token <jwt>`).
  const allowHeaders =
    asked.length <= 1024 && HEADER_LIST.test(asked) ? asked : "authorization, content-type";
  return {
    status: 204,
    headers: {
      ...CORS_HEADERS,
      "access-control-allow-methods": allow.join(", "),
      "access-control-allow-headers": allowHeaders,
      "access-control-max-age": "600",
    },
    body: undefined,
  };
}

/** One step in the store: the shared clock offset, the rate-limit verdict and the fault that fires. */
function admit(kernel: Kernel, op: CompiledOperation, req: EmuRequest): Admission | Promise<Admission> {
  const { enabled, requests, windowSeconds } = kernel.config.rateLimit;
  return kernel.store.admit({
    operationId: op.operation.id,
    baseNow: kernel.clock.base.now(),
    random: Math.random(),
    ...(enabled
      ? { rate: { client: req.remoteAddress, limit: requests, windowMs: windowSeconds * 1000 } }
      : {}),
  });
}

async function run(kernel: Kernel, op: CompiledOperation, req: EmuRequest, trace: Trace): Promise<Reply> {
  const admitting = admit(kernel, op, req);
  // The memory store answers synchronously: the common request then skips an await.
  const admission = admitting instanceof Promise ? await admitting : admitting;
  kernel.clock.sync(admission.offsetMs);
  if (admission.retryAfter !== undefined) {
    const { requests, windowSeconds } = kernel.config.rateLimit;
    const reply = errorReply(kernel, 429, `Rate limit exceeded: ${requests} requests per ${windowSeconds} s`);
    return { ...reply, headers: { "retry-after": String(admission.retryAfter) } };
  }
  if (req.bodyTooLarge) {
    return errorReply(kernel, 413, `Request body larger than ${kernel.config.bodyLimitBytes} bytes`);
  }
  // Steering is rare: the common request skips its await (and its microtask) entirely.
  let steered: Reply | undefined;
  if (req.headers.prefer !== undefined || admission.fault) {
    steered = await steer(kernel, op, req, admission.fault);
    // `Prefer: code=` may force an error without credentials, never a success.
    if (steered && steered.status >= 400) return steered;
  }
  const pending = kernel.runtime.authorize(op.operation, req.headers);
  const auth = pending instanceof Promise ? await pending : pending;
  if ("reply" in auth) return auth.reply;
  if (steered) return steered;
  const parsed = parseBody(kernel, op, req, trace);
  if ("reply" in parsed) return parsed.reply;
  const handler = kernel.runtime.handlers[op.operation.id];
  if (!handler) return errorReply(kernel, 501, `${op.operation.id} is not implemented by the emulator`);
  return handler({
    body: parsed.body,
    params: op.operation.path.includes("{") ? pathParams(op.operation.path, req.path) : {},
    headers: req.headers,
    remoteAddress: req.remoteAddress,
    operation: op.operation,
    principal: auth.principal,
  });
}

/** `Prefer: code=/delay=` and injected faults; undefined when the request runs normally. */
async function steer(
  kernel: Kernel,
  op: CompiledOperation,
  req: EmuRequest,
  fault: Fault | undefined,
): Promise<Reply | undefined> {
  const prefer = parsePrefer(req.headers.prefer);
  if (!prefer && !fault) return undefined;
  const delay = Math.min(kernel.config.maxDelayMs, (prefer?.delayMs ?? 0) + (fault?.delayMs ?? 0));
  if (delay > 0) await sleep(delay);
  const code = fault?.status ?? prefer?.code;
  return code === undefined ? undefined : steeredReply(kernel, op, code, fault !== undefined);
}

type Parsed = { body: unknown } | { reply: Reply };

function parseBody(kernel: Kernel, op: CompiledOperation, req: EmuRequest, trace: Trace): Parsed {
  if (!op.operation.requestBody) return { body: undefined };
  const empty = !req.body || req.body.length === 0;
  if (empty && !op.bodyRequired) return { body: undefined };
  const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (!empty && !/^application\/([\w.-]+\+)?json$/.test(type)) {
    const got = type ? `got ${clip(type, 100)}` : "none was sent";
    return { reply: errorReply(kernel, 400, `Content-Type must be application/json; ${got}`) };
  }
  if (empty) return { reply: errorReply(kernel, 400, "body: a JSON request body is required") };
  const tooBig = bodyOverLimit(op.limits, op.operation.id, req.body?.length ?? 0);
  if (tooBig) return { reply: errorReply(kernel, op.limits?.status ?? 400, tooBig) };
  let body: unknown;
  let text = "";
  try {
    text = utf8.decode(req.body);
    body = JSON.parse(text);
  } catch (error) {
    const why = error instanceof TypeError ? "is not valid UTF-8" : "is not valid JSON";
    return { reply: errorReply(kernel, 400, `body: ${why}`) };
  }
  // Each level of nesting takes two bytes at least, so a short body cannot be too deep: the common
  // request skips the walk.
  if ((req.body?.length ?? 0) > 2 * MAX_DEPTH && tooDeep(body, 0)) {
    return { reply: errorReply(kernel, 400, `body: nested deeper than ${MAX_DEPTH} levels`) };
  }
  if (kernel.runtime.prepareBody) body = kernel.runtime.prepareBody(op.operation.id, body);
  const size = req.body?.length ?? 0;
  // Kept as text: the journal counts it in bytes as stored, and parses it only when read.
  trace.body = size <= JOURNAL_BODY_BYTES ? text : `[${size} bytes, not kept]`;
  trace.bodyIsJson = size <= JOURNAL_BODY_BYTES;
  // Listing every problem of a large invalid body (a 1 MiB array of wrong items) costs seconds of
  // CPU; past FULL_REPORT_BYTES only the first problem is looked for, and the answer says so.
  const large = size > FULL_REPORT_BYTES && op.validateLarge !== undefined;
  const validate = large ? op.validateLarge?.() : op.validate;
  const found = validate ? validate(body, "body") : [];
  if (found.length === 0) {
    const over = op.limits && overLimit(op.limits, op.operation.id, body, size);
    return over ? { reply: errorReply(kernel, op.limits?.status ?? 400, over) } : { body };
  }
  const problems = found.slice(0, MAX_PROBLEMS).map(formatProblem);
  if (found.length > MAX_PROBLEMS) problems.push(`… and ${found.length - MAX_PROBLEMS} more problems`);
  if (large)
    problems.push(`(the body is over ${FULL_REPORT_BYTES / 1024} KiB: only its first problem is listed)`);
  trace.problems = problems;
  return { reply: errorReply(kernel, 400, problems.join("; "), problems) };
}

/** `{name}` segments of the template, read from the path's tail (the base path is only a prefix). */
function pathParams(template: string, path: string): Record<string, string> {
  const names = template.split("/");
  const values = path.split("/").slice(-names.length);
  const out: Record<string, string> = {};
  names.forEach((name, i) => {
    const m = /^\{(.+)\}$/.exec(name);
    if (!m?.[1]) return;
    try {
      out[m[1]] = decodeURIComponent(values[i] ?? "");
    } catch {
      out[m[1]] = values[i] ?? "";
    }
  });
  return out;
}

/** Stops at MAX_DEPTH, so the walk itself never recurses deeper than that. */
function tooDeep(value: unknown, depth: number): boolean {
  if (value === null || typeof value !== "object") return false;
  if (depth >= MAX_DEPTH) return true;
  for (const v of Array.isArray(value) ? value : Object.values(value)) if (tooDeep(v, depth + 1)) return true;
  return false;
}
