import type { EmbedRoute, EmuRequest, EmuResponse } from "../kit/types.js";
import { errorReply, type Kernel, replyToResponse } from "./kernel.js";
import { sleep } from "./prefer.js";

export interface EmbedMatch {
  route: EmbedRoute;
  params: string[];
}

function decode(part: string | undefined): string {
  try {
    return decodeURIComponent(part ?? "");
  } catch {
    return part ?? "";
  }
}

/** The consuming-half route for this path, if any (methods are checked by runEmbedRoute). */
export function matchEmbedRoute(routes: readonly EmbedRoute[], path: string): EmbedMatch | undefined {
  for (const route of routes) {
    const m = route.pattern.exec(path);
    if (m) return { route, params: m.slice(1).map(decode) };
  }
  return undefined;
}

/** Runs a consuming-half route under the same faults as the spec's operations. */
export async function runEmbedRoute(kernel: Kernel, hit: EmbedMatch, req: EmuRequest): Promise<EmuResponse> {
  const { route } = hit;
  if (!route.methods.includes(req.method)) {
    const reply = errorReply(
      kernel,
      405,
      `Method ${req.method.slice(0, 20)} not allowed; use ${route.methods}`,
    );
    return replyToResponse(reply, { allow: route.methods.join(", ") });
  }
  if (req.method !== "OPTIONS") {
    // The same admission as the spec's operations: the shared clock offset and this route's fault.
    const admitting = kernel.store.admit({
      operationId: route.id,
      baseNow: kernel.clock.base.now(),
      random: Math.random(),
    });
    const admission = admitting instanceof Promise ? await admitting : admitting;
    kernel.clock.sync(admission.offsetMs);
    const fault = admission.fault;
    if (fault) {
      if (fault.delayMs > 0) await sleep(Math.min(fault.delayMs, kernel.config.maxDelayMs));
      return replyToResponse(errorReply(kernel, fault.status, "Injected fault"), {
        "access-control-allow-origin": "*",
      });
    }
  }
  return route.handle({
    method: req.method,
    path: req.path,
    query: new URLSearchParams(req.query),
    headers: req.headers,
    body: req.body,
    params: hit.params,
  });
}
