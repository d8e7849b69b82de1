import { authEnvVar, credentialTarget, type Secret } from "../contract/index.js";
import type { SecurityScheme, SpecModel } from "../openapi/index.js";
import type { Io } from "./command.js";
import { UsageError } from "./usage-error.js";

/** Credentials by scheme, and the secrets to mask (with the variable each can be read from). */
export interface GivenAuth {
  auth: Record<string, string>;
  /** Headers for every request that carry no credential (`-H "X-Tenant: acme"`). */
  headers: Record<string, string>;
  secrets: Secret[];
}

const schemes = (spec: SpecModel) => Object.values(spec.securitySchemes);

/** Schemes named by the document's own `security` (what an operation without one requires). */
function defaultSchemes(spec: SpecModel): Set<string> {
  const security = spec.document.security;
  if (!Array.isArray(security)) return new Set();
  return new Set(security.flatMap((alt) => (alt && typeof alt === "object" ? Object.keys(alt) : [])));
}

/**
 * The one scheme a bare `--auth <value>` can mean: the only scheme; else by the value's scheme
 * word (`Bearer …` → an http bearer scheme, `Basic …` → http basic); else the only apiKey scheme;
 * else the only apiKey scheme of the document's `security` (Cube's `Embed-Token` scheme shares the
 * Authorization header with its API key, but only three operations the browser calls take it).
 */
function schemeFor(
  value: string,
  candidates: SecurityScheme[],
  defaults: Set<string>,
): SecurityScheme | undefined {
  if (candidates.length === 1) return candidates[0];
  const word = /^(\S+)\s/.exec(value)?.[1]?.toLowerCase();
  const http = candidates.filter((s) => s.type === "http" && s.scheme === word);
  if (http.length === 1) return http[0];
  const keys = candidates.filter((s) => s.type === "apiKey");
  if (keys.length === 1) return keys[0];
  const defaultKeys = keys.filter((s) => defaults.has(s.name));
  return defaultKeys.length === 1 ? defaultKeys[0] : undefined;
}

/** `env:NAME` reads the value from the environment, and curl lines then refer to $NAME. */
function secretOf(raw: string, scheme: string, io: Io): Secret {
  if (!raw.startsWith("env:")) return { value: raw, envVar: authEnvVar(scheme) };
  const name = raw.slice(4);
  const value = io.env[name];
  if (!value)
    throw new UsageError(`--auth ${scheme}=env:${name}: the environment variable ${name} is not set`);
  return { value, envVar: name };
}

function ambiguous(what: string, candidates: SecurityScheme[]): UsageError {
  return new UsageError(
    `${what}: the spec has ${candidates.length ? candidates.map((s) => s.name).join(", ") : "no security scheme"}; say which: --auth <scheme>=<value>`,
  );
}

/** `--auth scheme=value`, or `--auth value` when one scheme can be meant; values may be `env:NAME`. */
function fromAuthFlags(values: string[], spec: SpecModel, io: Io, out: GivenAuth): void {
  for (const v of values) {
    const at = v.indexOf("=");
    const prefix = at > 0 ? v.slice(0, at) : "";
    const named = prefix in spec.securitySchemes ? prefix : undefined;
    // `apiKeyAuht=…` is a misspelt scheme; `dG9rZW4=` is a bare base64 value with its padding.
    if (!named && /^[A-Za-z][\w.-]*$/.test(prefix) && !/^=*$/.test(v.slice(at + 1)))
      throw new UsageError(
        `--auth: the spec has no security scheme "${prefix}"; it has ${Object.keys(spec.securitySchemes).join(", ") || "none"}`,
      );
    const raw = named ? v.slice(at + 1) : v;
    const scheme = named ?? schemeFor(raw, schemes(spec), defaultSchemes(spec))?.name;
    if (!scheme) throw ambiguous("--auth without a scheme name", schemes(spec));
    const secret = secretOf(raw, scheme, io);
    out.auth[scheme] = secret.value;
    out.secrets.push(secret);
  }
}

/** `-H "Name: value"`: a credential when the header is a scheme's, else sent with every request. */
function fromHeaderFlags(values: string[], spec: SpecModel, out: GivenAuth): void {
  for (const h of values) {
    const at = h.indexOf(":");
    if (at <= 0) throw new UsageError(`-H/--header takes "Name: value", got "${h}"`);
    const name = h.slice(0, at).trim();
    const value = h.slice(at + 1).trim();
    const onHeader = schemes(spec).filter((s) => {
      const t = credentialTarget(s);
      return t.in === "header" && t.name === name.toLowerCase();
    });
    if (onHeader.length === 0) {
      out.headers[name] = value;
      continue;
    }
    const scheme = schemeFor(value, onHeader, defaultSchemes(spec));
    if (!scheme) throw ambiguous(`-H ${name}`, onHeader);
    out.auth[scheme.name] = value;
    out.secrets.push({ value, envVar: authEnvVar(scheme.name) });
  }
}

/**
 * Credentials from --auth, then -H, then `EMBEDKIT_AUTH_<SCHEME>` for a scheme still without one;
 * every value is a secret to mask. Unknown scheme names and ambiguous values are usage errors.
 */
export function givenAuth(spec: SpecModel, flags: { auth?: string[]; header?: string[] }, io: Io): GivenAuth {
  const out: GivenAuth = { auth: {}, headers: {}, secrets: [] };
  fromAuthFlags(flags.auth ?? [], spec, io, out);
  fromHeaderFlags(flags.header ?? [], spec, out);
  for (const name of Object.keys(spec.securitySchemes)) {
    const value = io.env[authEnvVar(name)];
    if (out.auth[name] !== undefined || !value) continue;
    out.auth[name] = value;
    out.secrets.push({ value, envVar: authEnvVar(name) });
  }
  return out;
}
