/** A secret given to a run: a credential or a token key, and the variable a curl line reads it from. */
export interface Secret {
  value: string;
  /** Environment variable holding the value, for curl lines (`EMBEDKIT_AUTH_APIKEYAUTH`). */
  envVar?: string;
}

const MASK = "***";

/** The forms a value takes in output: as is, its secret part after a scheme word, JSON-escaped, URL-encoded. */
function formsOf(value: string): string[] {
  const bare = /^\S+\s+(\S.*)$/.exec(value)?.[1];
  const forms = [value, ...(bare ? [bare] : [])].flatMap((v) => [
    v,
    JSON.stringify(v).slice(1, -1),
    encodeURIComponent(v),
  ]);
  // Very short values would mask ordinary text ("a", "1"): a credential that short is no secret.
  return [...new Set(forms)].filter((f) => f.length >= 4);
}

/**
 * Replaces every given secret in text meant for people and files: console lines, NDJSON, JUnit.
 * Built once per run; longest forms first, so a key and its bare part are both caught.
 */
export class SecretMask {
  readonly #forms: Array<{ form: string; secret: Secret }>;

  constructor(secrets: readonly Secret[]) {
    this.#forms = secrets
      .flatMap((secret) => formsOf(secret.value).map((form) => ({ form, secret })))
      .sort((a, b) => b.form.length - a.form.length);
  }

  get empty(): boolean {
    return this.#forms.length === 0;
  }

  text(s: string): string {
    let out = s;
    for (const { form } of this.#forms) if (out.includes(form)) out = out.replaceAll(form, MASK);
    return out;
  }

  /** The secret a header value is exactly, if any: a curl line then reads it from its variable. */
  secretOf(value: string): Secret | undefined {
    return this.#forms.find((f) => f.form === value && f.secret.value === value)?.secret;
  }
}

/** No masking (`--show-secrets`, or a library user who gave no secrets). */
export const NO_MASK = new SecretMask([]);

/** `EMBEDKIT_AUTH_APIKEYAUTH` for scheme `apiKeyAuth`: where the CLI reads and curl lines refer. */
export function authEnvVar(scheme: string): string {
  return `EMBEDKIT_AUTH_${scheme.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}
