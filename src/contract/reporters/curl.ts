import { joinUrl } from "../transports/transport.js";
import type { WireRequest } from "../types.js";
import { NO_MASK, type SecretMask } from "./secrets.js";

const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
/** Text inside double quotes, where `${VAR}` expands: everything else escaped. */
const inDquotes = (s: string) => s.replace(/[$`"\\]/g, (c) => `\\${c}`);

/**
 * A shell command that sends the same request again. A header carrying a given secret reads it from
 * its environment variable (`-H "authorization: ${EMBEDKIT_AUTH_APIKEYAUTH}"`), so the line can be
 * pasted into CI logs and still work where the variable is set; any other secret is masked.
 */
export function curlOf(baseUrl: string, request: WireRequest, mask: SecretMask = NO_MASK): string {
  const parts = ["curl", "-i", "-X", request.method, quote(mask.text(joinUrl(baseUrl, request.path)))];
  for (const [name, value] of Object.entries(request.headers)) {
    const secret = mask.secretOf(value);
    if (secret?.envVar) parts.push("-H", `"${inDquotes(`${name}: `)}\${${secret.envVar}}"`);
    else parts.push("-H", quote(mask.text(`${name}: ${value}`)));
  }
  if (request.body !== undefined) parts.push("--data-raw", quote(mask.text(request.body)));
  return parts.join(" ");
}
