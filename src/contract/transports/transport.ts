import type { WireRequest, WireResponse } from "../types.js";

/** How the runner reaches the service: over HTTP, or by calling a `fetch` handler in-process. */
export interface Transport {
  /** The base URL requests are relative to (for reports and curl lines). */
  readonly baseUrl: string;
  send(request: WireRequest): Promise<WireResponse>;
  /** Resolves when the target answers anything at all; rejects with TargetUnreachableError. */
  probe?(): Promise<void>;
}

/** The target could not be reached at all (refused, unknown host): a usage problem, not a failure. */
export class TargetUnreachableError extends Error {
  override readonly name = "TargetUnreachableError";
}

/** `http://h/api` + `/v1/x?q` → `http://h/api/v1/x?q`: the base path is kept, unlike `new URL(path, base)`. */
export function joinUrl(baseUrl: string, path: string): string {
  return baseUrl.replace(/\/+$/, "") + (path.startsWith("/") ? path : `/${path}`);
}

export function headersOf(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name.toLowerCase()] = value;
  });
  return out;
}

/** A fetch Response as the runner sees it: status, headers, the body read as text, and the time taken. */
export async function wireResponseOf(response: Response, startedAt: number): Promise<WireResponse> {
  const body = await response.text();
  return {
    status: response.status,
    headers: headersOf(response.headers),
    body,
    durationMs: performance.now() - startedAt,
  };
}
