import { CLIPPED, clip } from "../kit/clip.js";
import type { RedactionRules } from "../kit/types.js";

/**
 * Keeps credentials, embed secrets, session ids and tokens out of the journal, `state` and logs.
 * The rules here hold for every provider; a provider adds its own (its credential header, the shape
 * of its session ids) through `ProviderDefinition.redaction`.
 */

export const REDACTED = "[redacted]";

const SECRET_HEADERS = [
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-api-key",
  "x-embedkit-control-token",
];

/** Property names whose values are credentials (a session id that is redeemed for a token is one). */
const SECRET_KEY = /token|secret|password|session|jwt|credential|authori[sz]ation|api[-_]?key|^key$/i;
/** Values that look like a JWS/JWE, wherever they appear. */
const TOKEN_VALUE = /^eyJ[\w-]*\.[\w.-]*$/;
/** A JWS/JWE inside free text (a header such as User-Agent, a path): a minted token is a credential. */
const TOKEN_IN_TEXT = /eyJ[\w-]*\.[\w-]*\.[\w.-]*/g;

export class Redactor {
  readonly #secrets: string[];
  readonly #headers: Set<string>;
  readonly #values: readonly RegExp[];

  constructor(secrets: readonly string[], rules: RedactionRules = {}) {
    // Each secret also in its JSON-escaped form (a `"` or `\` in it comes back escaped in an error
    // body); longest first, so a secret that contains another is replaced whole.
    const forms = secrets.filter((s) => s.length >= 4).flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]);
    this.#secrets = [...new Set(forms)].sort((a, b) => b.length - a.length);
    this.#headers = new Set([...SECRET_HEADERS, ...(rules.headers ?? []).map((h) => h.toLowerCase())]);
    this.#values = [TOKEN_VALUE, ...(rules.values ?? [])];
  }

  text(value: string): string {
    let out = value;
    for (const s of this.#secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
    if (out.includes(CLIPPED)) out = this.#clippedPrefixes(out);
    return out.includes("eyJ") ? out.replace(TOKEN_IN_TEXT, REDACTED) : out;
  }

  /** A value clipped in the middle of a secret leaves its prefix before the mark: that goes too. */
  #clippedPrefixes(text: string): string {
    let out = text;
    for (let at = out.indexOf(CLIPPED); at !== -1; at = out.indexOf(CLIPPED, at + 1)) {
      for (const s of this.#secrets) {
        for (let n = Math.min(s.length - 1, at); n >= 4; n--) {
          if (out.slice(at - n, at) !== s.slice(0, n)) continue;
          out = `${out.slice(0, at - n)}${REDACTED}${out.slice(at)}`;
          at = at - n + REDACTED.length;
          break;
        }
      }
    }
    return out;
  }

  headers(headers: Record<string, string | undefined>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (value === undefined) continue;
      // Redacted first, then clipped: clipping first could cut a secret into a prefix that shows.
      // A header's name can carry a secret too (`X-<key>: 1`, seen on the wire).
      out[clip(this.text(name), 256)] = this.#headers.has(name) ? REDACTED : clip(this.text(value), 256);
    }
    return out;
  }

  /** A redacted copy of a parsed body, bounded in depth and size. */
  value(value: unknown, depth = 0): unknown {
    if (typeof value === "string")
      return this.#values.some((v) => v.test(value)) ? REDACTED : clip(this.text(value), 256);
    if (value === null || typeof value !== "object") return value;
    if (depth > 8) return "[…]";
    if (Array.isArray(value)) return value.slice(0, 50).map((v) => this.value(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value).slice(0, 50)) {
      if (k === "__proto__") continue;
      out[k] =
        SECRET_KEY.test(k) && v !== null && typeof v !== "boolean" ? REDACTED : this.value(v, depth + 1);
    }
    return out;
  }
}
