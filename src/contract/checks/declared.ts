import type { Operation, ResponseSpec } from "../../openapi/index.js";

/** The response the spec declares for a status: exact code, then its range (4XX), then default. */
export function declaredResponse(op: Operation, status: number): ResponseSpec | undefined {
  const code = String(status);
  return op.responses[code] ?? op.responses[`${code[0]}XX`] ?? op.responses.default;
}

/**
 * Does the operation promise success at all? One that declares only errors (or only `default`)
 * cannot be held to answering 2xx, by positive-data-acceptance or by success-path.
 */
export const declaresSuccess = (op: Operation) => Object.keys(op.responses).some((s) => /^2/.test(s));

/** `application/json; charset=utf-8` → `application/json`. */
export function mediaType(header: string | undefined): string {
  return (header ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

export const isJsonMedia = (type: string) => /^application\/([\w.+-]*\+)?json$/.test(type);

/** Does a declared media range (`application/json`, `application/*`, `*\/*`) cover `actual`? */
export function mediaMatches(declared: string, actual: string): boolean {
  const d = mediaType(declared);
  if (d === actual || d === "*/*") return true;
  return d.endsWith("/*") && actual.startsWith(d.slice(0, -1));
}

export const summarise = (text: string, max = 300) => (text.length > max ? `${text.slice(0, max)}…` : text);
