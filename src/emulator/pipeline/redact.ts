/** Keeps credentials, embed secrets, session ids and tokens out of the journal, `state` and logs. */

export const REDACTED = "[redacted]";

const SECRET_HEADERS = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-api-key",
  "explo-authorization",
  "x-embedkit-control-token",
]);

/** Property names whose values are credentials (a Cube session id is one: it is redeemed for a token). */
const SECRET_KEY = /token|secret|password|session|jwt|credential|authori[sz]ation|api[-_]?key|^key$/i;
/** Values that look like a JWS/JWE or a Cube session id, wherever they appear. */
const SECRET_VALUE = /^eyJ[\w-]*\.[\w.-]*$|^[0-9a-f]{32}$/;
/** A JWS/JWE inside free text (a header such as User-Agent, a path): a minted token is a credential. */
const TOKEN_IN_TEXT = /eyJ[\w-]*\.[\w-]*\.[\w.-]*/g;

export class Redactor {
  readonly #secrets: string[];

  constructor(secrets: readonly string[]) {
    // Longest first, so a secret that contains another is replaced whole.
    this.#secrets = [...new Set(secrets.filter((s) => s.length >= 4))].sort((a, b) => b.length - a.length);
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
      out[name] = SECRET_HEADERS.has(name) ? REDACTED : this.text(value.slice(0, 256));
    }
    return out;
  }

  /** A redacted copy of a parsed body, bounded in depth and size. */
  value(value: unknown, depth = 0): unknown {
    if (typeof value === "string")
      return SECRET_VALUE.test(value) ? REDACTED : this.text(value.slice(0, 256));
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
