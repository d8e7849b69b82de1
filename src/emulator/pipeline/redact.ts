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
    // Longest first, so a secret that contains another is replaced whole.
    this.#secrets = [...new Set(secrets.filter((s) => s.length >= 4))].sort((a, b) => b.length - a.length);
    this.#headers = new Set([...SECRET_HEADERS, ...(rules.headers ?? []).map((h) => h.toLowerCase())]);
    this.#values = [TOKEN_VALUE, ...(rules.values ?? [])];
  }

  text(value: string): string {
    let out = value;
    for (const s of this.#secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
    return out.includes("eyJ") ? out.replace(TOKEN_IN_TEXT, REDACTED) : out;
  }

  headers(headers: Record<string, string | undefined>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (value === undefined) continue;
      out[name] = this.#headers.has(name) ? REDACTED : this.text(value.slice(0, 256));
    }
    return out;
  }

  /** A redacted copy of a parsed body, bounded in depth and size. */
  value(value: unknown, depth = 0): unknown {
    if (typeof value === "string")
      return this.#values.some((v) => v.test(value)) ? REDACTED : this.text(value.slice(0, 256));
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
