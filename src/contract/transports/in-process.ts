import type { WireRequest, WireResponse } from "../types.js";
import { joinUrl, type Transport, wireResponseOf } from "./transport.js";

export type FetchHandler = (request: Request) => Response | Promise<Response>;

/**
 * Calls a `fetch(request)` handler directly (the emulator's, a Hono app's, a test fixture's):
 * no port, no sockets, the same requests as over HTTP.
 */
export function inProcessTransport(handler: FetchHandler, baseUrl = "http://embedkit.invalid"): Transport {
  return {
    baseUrl,
    async send(req: WireRequest): Promise<WireResponse> {
      const started = performance.now();
      const init: RequestInit = { method: req.method, headers: req.headers };
      if (req.body !== undefined) init.body = req.body;
      const response = await handler(new Request(joinUrl(baseUrl, req.path), init));
      return wireResponseOf(response, started);
    },
  };
}
