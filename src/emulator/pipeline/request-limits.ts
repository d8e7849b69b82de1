import { getAtPointer, NOTES, type Operation, readNote } from "../../openapi/index.js";
import { bytesOf } from "../kit/budget.js";

/**
 * What one request may make a provider hold, field by field: the operation's `x-embedkit-limits`
 * note (`{status, maxBytes: {<pointer>: bytes}}`), overridden per operation by the config's
 * `requestLimits`. A session keeps its claims for minutes and a user for the life of the server,
 * so these bound memory by bytes where the body limit alone (1 MiB a request) would not.
 */
export interface RequestLimits {
  status: number;
  fields: { pointer: string; maxBytes: number }[];
  /** A body no larger than this cannot break any limit: the common request skips the checks. */
  smallest: number;
  /** The whole body's limit (pointer ""), checked before parsing: a 1 MiB body is never parsed. */
  body: number | undefined;
}

export function compileLimits(
  operation: Operation,
  overrides: Record<string, Record<string, number>>,
): RequestLimits | undefined {
  const note = readNote(NOTES.limits, operation.extensions);
  const merged = { ...note?.maxBytes, ...overrides[operation.id] };
  const fields = Object.entries(merged).map(([pointer, maxBytes]) => ({ pointer, maxBytes }));
  if (fields.length === 0) return undefined;
  return {
    status: note?.status ?? 400,
    fields,
    smallest: Math.min(...fields.map((f) => f.maxBytes)),
    body: merged[""],
  };
}

/** The message for a body over its whole-body limit, before it is parsed; undefined when within. */
export function bodyOverLimit(limits: RequestLimits | undefined, operationId: string, size: number) {
  if (limits?.body === undefined || size <= limits.body) return undefined;
  return `body is ${size} bytes, over its limit of ${limits.body} (x-embedkit-limits; config requestLimits.${operationId}[""])`;
}

/** The first field over its limit, as a message naming the field, its size and the limit. */
export function overLimit(limits: RequestLimits, operationId: string, body: unknown, size: number) {
  if (size <= limits.smallest) return undefined;
  for (const { pointer, maxBytes } of limits.fields) {
    const value = pointer === "" ? body : getAtPointer(body, pointer);
    if (value === undefined) continue;
    const bytes = pointer === "" ? size : bytesOf(typeof value === "string" ? JSON.stringify(value) : value);
    if (bytes > maxBytes) {
      return (
        `body${pointer} is ${bytes} bytes, over its limit of ${maxBytes} ` +
        `(x-embedkit-limits; config requestLimits.${operationId}["${pointer}"])`
      );
    }
  }
  return undefined;
}
