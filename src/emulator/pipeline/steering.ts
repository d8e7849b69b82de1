import type { Reply } from "../kit/types.js";
import { type CompiledOperation, errorReply, type Kernel } from "./kernel.js";

/** Statuses a fault may inject beyond the declared ones: a provider outage is worth rehearsing. */
export const OUTAGE_STATUSES: ReadonlySet<number> = new Set([500, 502, 503, 504]);

/**
 * The answer to `Prefer: code=<status>` or a fault: a declared status with a body valid for it (the
 * provider's envelope for errors, the spec's first example for successes). An undeclared status is
 * refused with 400, so steering can never make the emulator break its own contract by accident.
 */
export function steeredReply(kernel: Kernel, op: CompiledOperation, status: number, fault: boolean): Reply {
  const declared = op.statuses.has(status) || (fault && OUTAGE_STATUSES.has(status));
  if (!declared) {
    const list = [...op.statuses].sort().join(", ");
    return errorReply(
      kernel,
      400,
      `Prefer: code=${status} is not declared for ${op.operation.id} (declared: ${list})`,
    );
  }
  const spec = op.operation.responses[String(status)];
  const headers: Record<string, string> = {};
  if (spec?.headers.some((h) => h.name.toLowerCase() === "retry-after")) headers["retry-after"] = "1";
  if (status >= 400) {
    const why = fault ? "Injected fault" : `Answer steered by Prefer: code=${status}`;
    return { ...errorReply(kernel, status, why), headers };
  }
  const media = spec ? Object.values(spec.content)[0] : undefined;
  const example = media?.examples[0]?.value;
  return example === undefined ? { status, headers } : { status, body: structuredClone(example), headers };
}
