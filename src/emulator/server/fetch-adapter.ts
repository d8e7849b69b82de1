import type { EmuRequest, EmuResponse } from "../kit/types.js";

/** A WHATWG Request as the pipeline's request: the in-process door into the same pipeline as the server. */
export async function fromFetchRequest(request: Request, limit: number): Promise<EmuRequest> {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const buffer = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
  const base = {
    method: request.method,
    path: url.pathname,
    query: url.search.slice(1),
    headers,
    remoteAddress: "in-process",
  };
  if (buffer && buffer.length > limit) return { ...base, body: undefined, bodyTooLarge: true };
  return { ...base, body: buffer };
}

export function toFetchResponse(out: EmuResponse): Response {
  const empty = out.status === 204 || out.status === 304 || out.body === undefined;
  return new Response(empty ? null : out.body, { status: out.status, headers: out.headers });
}
