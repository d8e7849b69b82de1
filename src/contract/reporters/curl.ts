import { joinUrl } from "../transports/transport.js";
import type { WireRequest } from "../types.js";

const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/** A shell command that sends the same request again. */
export function curlOf(baseUrl: string, request: WireRequest): string {
  const parts = ["curl", "-i", "-X", request.method, quote(joinUrl(baseUrl, request.path))];
  for (const [name, value] of Object.entries(request.headers)) parts.push("-H", quote(`${name}: ${value}`));
  if (request.body !== undefined) parts.push("--data-raw", quote(request.body));
  return parts.join(" ");
}
