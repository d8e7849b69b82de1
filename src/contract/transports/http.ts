import type { WireRequest, WireResponse } from "../types.js";
import { joinUrl, TargetUnreachableError, type Transport, wireResponseOf } from "./transport.js";

export interface HttpTransportOptions {
  /** Per request, in milliseconds. */
  timeoutMs?: number;
}

const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ECONNRESET",
]);

const RESET = new Set(["ECONNRESET", "UND_ERR_SOCKET"]);

function causeCode(error: unknown): string | undefined {
  return (error as { cause?: { code?: string } })?.cause?.code;
}

/** undici hides the reason in `cause`: a code (ECONNREFUSED) or a message ("bad port"). */
function reason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

/** Sends requests to any base URL, path prefix included (`http://127.0.0.1:4010/api`). */
export function httpTransport(baseUrl: string, options: HttpTransportOptions = {}): Transport {
  const timeoutMs = options.timeoutMs ?? 10_000;
  try {
    new URL(baseUrl);
  } catch {
    throw new TargetUnreachableError(`--target must be an absolute http(s) URL, got "${baseUrl}"`);
  }
  return {
    baseUrl,
    async send(req: WireRequest): Promise<WireResponse> {
      const started = performance.now();
      const init: RequestInit = {
        method: req.method,
        headers: req.headers,
        signal: AbortSignal.timeout(timeoutMs),
      };
      if (req.body !== undefined) init.body = req.body;
      let response: Response;
      try {
        response = await fetch(joinUrl(baseUrl, req.path), init).catch((error: unknown) => {
          // A kept-alive socket the server closed just as it was reused (its keep-alive timeout ran
          // out while this process was busy) fails before anything was sent: send it once more.
          if (!RESET.has(causeCode(error) ?? "")) throw error;
          return fetch(joinUrl(baseUrl, req.path), { ...init, signal: AbortSignal.timeout(timeoutMs) });
        });
      } catch (error) {
        if ((error as Error).name === "TimeoutError") throw new Error(`no answer within ${timeoutMs} ms`);
        throw new Error(`request failed: ${reason(error)}`);
      }
      return wireResponseOf(response, started);
    },
    async probe() {
      try {
        const response = await fetch(baseUrl, { method: "GET", signal: AbortSignal.timeout(timeoutMs) });
        await response.body?.cancel();
      } catch (error) {
        const code = causeCode(error);
        const why =
          (error as Error).name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : reason(error);
        if ((error as Error).name === "TimeoutError" || (code && UNREACHABLE.has(code)) || !code) {
          throw new TargetUnreachableError(
            `cannot reach ${baseUrl} (${why}). Is the service running? Start one with \`embedkit mock\`.`,
          );
        }
      }
    },
  };
}
