import { clip } from "../kit/clip.js";
import { secretEquals } from "../kit/ids.js";
import { StoreUnavailableError } from "../kit/store/index.js";
import type { EmuRequest, EmuResponse } from "../kit/types.js";
import { sameOrigin } from "./host-guard.js";
import { jsonResponse, type Kernel, resetKernel } from "./kernel.js";
import { OUTAGE_STATUSES } from "./steering.js";

const MAX_TOKEN_CHARS = 512 * 1024;
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+|in-process)$/;

/**
 * Control-plane errors keep their `error` message and are also in the provider's envelope, so every
 * answer on a provider's port (path tricks that land here included) is one its spec declares.
 */
const fail = (kernel: Kernel, status: number, message: string) => {
  const error = kernel.redactor.text(message);
  return jsonResponse(status, { ...(kernel.definition.envelope(status, error) as object), error });
};

type Route = (
  kernel: Kernel,
  req: EmuRequest,
  body: Record<string, unknown>,
) => EmuResponse | Promise<EmuResponse>;

/**
 * The control plane under /__embedkit/. When the server listens beyond loopback, every call must
 * carry `X-Embedkit-Control-Token` (401 without, 403 when wrong); without a configured token, only
 * loopback callers get in.
 */
export async function handleControl(kernel: Kernel, req: EmuRequest): Promise<EmuResponse> {
  const denied = guard(kernel, req) ?? browserGuard(kernel, req);
  if (denied) return denied;
  const name = req.path.slice("/__embedkit/".length).replace(/\/$/, "");
  const route = ROUTES[`${req.method} ${name}`];
  if (!route) {
    const known = Object.keys(ROUTES).some((k) => k.endsWith(` ${name}`));
    return known
      ? fail(kernel, 405, `${req.method} not allowed on /__embedkit/${name}`)
      : fail(kernel, 404, "unknown control path");
  }
  if (req.bodyTooLarge) return fail(kernel, 413, "body too large");
  let body: Record<string, unknown> = {};
  if (req.body && req.body.length > 0) {
    try {
      const parsed: unknown = JSON.parse(req.body.toString("utf8"));
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
        return fail(kernel, 400, "body must be a JSON object");
      body = parsed as Record<string, unknown>;
    } catch {
      return fail(kernel, 400, "body is not valid JSON");
    }
  }
  try {
    return await route(kernel, req, body);
  } catch (error) {
    if (!(error instanceof StoreUnavailableError)) throw error;
    const res = fail(
      kernel,
      kernel.outage.status,
      `state store (${kernel.outage.where}) unavailable; retry shortly`,
    );
    return { ...res, headers: { ...res.headers, "retry-after": "1" } };
  }
}

/**
 * A page may send a POST without a preflight only as text/plain, a form or with no body at all, and
 * with its own `Origin`: the control plane takes JSON only and answers only its own origin, so a page
 * on another origin can neither change state nor read it. It answers no CORS.
 */
function browserGuard(kernel: Kernel, req: EmuRequest): EmuResponse | undefined {
  if (!sameOrigin(req.headers.origin, req.headers.host)) {
    const origin = JSON.stringify(clip(req.headers.origin ?? "", 100));
    return fail(
      kernel,
      403,
      `Origin ${origin} may not call the control plane; call it from a tool, not a page`,
    );
  }
  if (req.method !== "POST") return undefined;
  const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") {
    return fail(
      kernel,
      415,
      "the control plane takes Content-Type: application/json only (send {} for no body)",
    );
  }
  return undefined;
}

function guard(kernel: Kernel, req: EmuRequest): EmuResponse | undefined {
  if (!kernel.exposed) return undefined;
  const expected = kernel.config.controlToken;
  if (expected === undefined) {
    return LOOPBACK.test(req.remoteAddress)
      ? undefined
      : fail(kernel, 403, "control plane is loopback-only; set a control token");
  }
  const given = req.headers["x-embedkit-control-token"];
  if (!given) return fail(kernel, 401, "X-Embedkit-Control-Token required");
  return secretEquals(given, expected) ? undefined : fail(kernel, 403, "wrong control token");
}

const ROUTES: Record<string, Route> = {
  "GET health": (k) =>
    jsonResponse(200, {
      status: "ok",
      provider: k.providerId,
      // Which replica answered, and where the state they share lives.
      pid: process.pid,
      store: k.outage.where,
      now: new Date(k.clock.now()).toISOString(),
      uptimeSeconds: Math.round((Date.now() - k.startedAt) / 1000),
    }),
  "POST reset": async (k) => {
    await resetKernel(k);
    return jsonResponse(200, { reset: true });
  },
  "GET requests": (k, req) => {
    const given = new URLSearchParams(req.query).get("limit");
    const limit = given === null ? k.config.journalSize : Number(given);
    if (given !== null && !(Number.isInteger(limit) && limit >= 0)) {
      return fail(k, 400, "limit: must be a whole number of at least 0");
    }
    return jsonResponse(200, { requests: k.journal.read(k.redactor, limit) });
  },
  "DELETE requests": (k) => {
    k.journal.clear();
    return jsonResponse(200, { cleared: true });
  },
  "GET state": async (k) => {
    k.clock.sync(await k.store.clockOffset());
    await k.runtime.sweep();
    const res = jsonResponse(200, {
      provider: k.providerId,
      store: k.store.kind,
      ...(await k.runtime.state()),
      budget: await budgetSnapshot(k),
    });
    // State holds what callers sent (externalId, email): a key pasted there must not show.
    return { ...res, body: k.redactor.text(res.body ?? "") };
  },
  "GET faults": async (k) => jsonResponse(200, { faults: await k.store.listFaults() }),
  "POST faults": setFault,
  "DELETE faults": async (k, req) => {
    const operationId = new URLSearchParams(req.query).get("operationId") ?? undefined;
    await k.store.clearFaults(operationId);
    return jsonResponse(200, { faults: await k.store.listFaults() });
  },
  "GET clock": clockState,
  "POST clock": moveClock,
  "POST introspect": async (k, _req, body) => {
    if (typeof body.token !== "string") return fail(k, 400, "token: must be a string");
    // No token we mint comes near this; a longer one is not ours and is not decoded.
    if (body.token.length > MAX_TOKEN_CHARS) return jsonResponse(200, { valid: false, reason: "malformed" });
    k.clock.sync(await k.store.clockOffset());
    return jsonResponse(200, await k.runtime.introspect(body.token));
  },
};

/**
 * The state budget as `/__embedkit/state` shows it: the store's records (with Redis, what every
 * replica on this prefix holds together) and this process's journal.
 */
async function budgetSnapshot(k: Kernel) {
  const byKind: Record<string, number> = {
    ...(await k.store.bytes()),
    ...k.runtime.heldBytes?.(),
    journal: k.journal.bytes,
  };
  const usedBytes = Object.values(byKind).reduce((a, b) => a + b, 0);
  const { limitBytes, storeBytes, journalBytes, processBytes } = k.budget;
  return {
    limitBytes,
    usedBytes,
    storeLimitBytes: storeBytes,
    journalLimitBytes: journalBytes,
    processLimitBytes: processBytes,
    byKind,
  };
}

async function clockState(k: Kernel): Promise<EmuResponse> {
  k.clock.sync(await k.store.clockOffset());
  return clockAnswer(k);
}

function clockAnswer(k: Kernel): EmuResponse {
  const now = k.clock.now();
  return jsonResponse(200, { now, iso: new Date(now).toISOString(), offsetMs: k.clock.offsetMs });
}

/**
 * The clock stays between 1970 and 9999: every date it makes (state, tokens' `exp`, the journal) must
 * be one an ISO 8601 string and a JWT can carry, or the next `state` would be a 500.
 */
const CLOCK_MIN_MS = 0;
const CLOCK_MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59);
const CLOCK_RANGE = "the clock must stay between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z";

/** Moves the offset in the store, so every replica on one Redis moves with it. */
async function moveClock(k: Kernel, _req: EmuRequest, body: Record<string, unknown>): Promise<EmuResponse> {
  const { advanceSeconds, set } = body;
  const inRange = (ms: number) => Number.isFinite(ms) && ms >= CLOCK_MIN_MS && ms <= CLOCK_MAX_MS;
  let offset: number;
  if (typeof advanceSeconds === "number" && Number.isFinite(advanceSeconds)) {
    k.clock.sync(await k.store.clockOffset());
    if (!inRange(k.clock.now() + advanceSeconds * 1000))
      return fail(k, 400, `advanceSeconds: ${CLOCK_RANGE}`);
    offset = await k.store.advanceClock(advanceSeconds * 1000);
  } else if (typeof set === "number" || typeof set === "string") {
    const at = typeof set === "number" ? set : Date.parse(set);
    if (!Number.isFinite(at)) return fail(k, 400, "set: must be epoch milliseconds or an ISO 8601 date-time");
    if (!inRange(at)) return fail(k, 400, `set: ${CLOCK_RANGE}`);
    offset = await k.store.setClockOffset(Math.round(at) - k.clock.base.now());
  } else {
    return fail(k, 400, "send {advanceSeconds: number} or {set: epoch ms | ISO date-time}");
  }
  k.clock.sync(offset);
  await k.runtime.sweep();
  return clockAnswer(k);
}

/** A spec operation or a consuming-half route (embed page, script, token-consuming API). */
function faultTarget(k: Kernel, id: unknown): { id: string; statuses: ReadonlySet<number> } | undefined {
  if (typeof id !== "string") return undefined;
  const op = k.operations.get(id);
  if (op) return { id, statuses: op.statuses };
  const route = k.embedRoutes.find((r) => r.id === id);
  return route ? { id, statuses: new Set(route.statuses) } : undefined;
}

async function setFault(k: Kernel, _req: EmuRequest, b: Record<string, unknown>): Promise<EmuResponse> {
  const op = faultTarget(k, b.operationId);
  if (!op) {
    const ids = [...k.operations.keys(), ...k.embedRoutes.map((r) => r.id)];
    return fail(k, 400, `operationId: must be one of ${ids.join(", ")}`);
  }
  const status = b.status;
  if (typeof status !== "number" || !(op.statuses.has(status) || OUTAGE_STATUSES.has(status))) {
    return fail(k, 400, `status: must be declared for ${op.id} or one of 500, 502, 503, 504`);
  }
  const delayMs = b.delayMs ?? 0;
  if (!Number.isInteger(delayMs) || (delayMs as number) < 0 || (delayMs as number) > k.config.maxDelayMs) {
    return fail(k, 400, `delayMs: must be a whole number from 0 to ${k.config.maxDelayMs}`);
  }
  const probability = b.probability ?? 1;
  if (typeof probability !== "number" || !(probability >= 0 && probability <= 1)) {
    return fail(k, 400, "probability: must be a number from 0 to 1");
  }
  if (b.count !== undefined && (!Number.isInteger(b.count) || (b.count as number) < 1)) {
    return fail(k, 400, "count: must be a whole number of at least 1");
  }
  const fault = { operationId: op.id, status, delayMs: delayMs as number, probability };
  await k.store.setFault(b.count === undefined ? fault : { ...fault, count: b.count as number });
  return jsonResponse(200, { faults: await k.store.listFaults() });
}
