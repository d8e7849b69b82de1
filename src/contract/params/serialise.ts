import type { Parameter } from "../../openapi/index.js";

/**
 * Parameter values → wire text, per OpenAPI's `style` and `explode`
 * (https://spec.openapis.org/oas/v3.1.0#style-values). Defaults: `simple` for path and header,
 * `form` for query and cookie; `explode` defaults to true for `form` only.
 */
export type Style =
  | "simple"
  | "label"
  | "matrix"
  | "form"
  | "spaceDelimited"
  | "pipeDelimited"
  | "deepObject";

const DEFAULT_STYLE: Record<Parameter["in"], Style> = {
  path: "simple",
  header: "simple",
  query: "form",
  cookie: "form",
};

export function styleOf(p: Parameter): { style: Style; explode: boolean } {
  const style = (p.style as Style | undefined) ?? DEFAULT_STYLE[p.in];
  return { style, explode: p.explode ?? style === "form" };
}

/** A primitive as text: strings as they are, the rest as JSON (`true`, `12`, `null` → empty). */
export function primitiveText(v: unknown): string {
  if (typeof v === "string") return v;
  if (v === null || v === undefined) return "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** Query pairs (unencoded) for one query parameter. */
export function queryPairs(p: Parameter, value: unknown): Array<[string, string]> {
  const { style, explode } = styleOf(p);
  if (style === "deepObject" && isRecord(value)) {
    return Object.entries(value).flatMap(([k, v]) =>
      Array.isArray(v)
        ? v.map((item): [string, string] => [`${p.name}[${k}]`, primitiveText(item)])
        : [[`${p.name}[${k}]`, primitiveText(v)] as [string, string]],
    );
  }
  if (Array.isArray(value)) {
    const items = value.map(primitiveText);
    if (explode && style === "form") return items.map((v) => [p.name, v]);
    const sep = style === "spaceDelimited" ? " " : style === "pipeDelimited" ? "|" : ",";
    return [[p.name, items.join(sep)]];
  }
  if (isRecord(value)) {
    if (explode) return Object.entries(value).map(([k, v]) => [k, primitiveText(v)]);
    return [
      [
        p.name,
        Object.entries(value)
          .flatMap(([k, v]) => [k, primitiveText(v)])
          .join(","),
      ],
    ];
  }
  return [[p.name, primitiveText(value)]];
}

/** `simple` text of a value (path and header), before any percent-encoding. */
function simpleText(value: unknown, explode: boolean, encode: (s: string) => string): string {
  if (Array.isArray(value)) return value.map((v) => encode(primitiveText(v))).join(",");
  if (isRecord(value)) {
    const parts = Object.entries(value).map(([k, v]) =>
      explode ? `${encode(k)}=${encode(primitiveText(v))}` : `${encode(k)},${encode(primitiveText(v))}`,
    );
    return parts.join(",");
  }
  return encode(primitiveText(value));
}

/** The path segment text for a path parameter, percent-encoded. */
export function pathText(p: Parameter, value: unknown): string {
  const { style, explode } = styleOf(p);
  const enc = encodeURIComponent;
  if (style === "label") {
    const sep = explode ? "." : ",";
    if (Array.isArray(value)) return `.${value.map((v) => enc(primitiveText(v))).join(sep)}`;
    return `.${simpleText(value, explode, enc)}`;
  }
  if (style === "matrix") {
    if (Array.isArray(value) && explode)
      return value.map((v) => `;${enc(p.name)}=${enc(primitiveText(v))}`).join("");
    if (isRecord(value) && explode)
      return Object.entries(value)
        .map(([k, v]) => `;${enc(k)}=${enc(primitiveText(v))}`)
        .join("");
    return `;${enc(p.name)}=${simpleText(value, false, enc)}`;
  }
  return simpleText(value, explode, enc);
}

/** A header value: `simple` style, nothing percent-encoded (the value must already be header-safe). */
export function headerText(p: Parameter, value: unknown): string {
  return simpleText(value, styleOf(p).explode, (s) => s);
}

/** One `name=value` cookie pair (form style; arrays and objects comma-joined when not exploded). */
export function cookieText(p: Parameter, value: unknown): string {
  const text = Array.isArray(value)
    ? value.map(primitiveText).join(",")
    : isRecord(value)
      ? Object.entries(value)
          .flatMap(([k, v]) => [k, primitiveText(v)])
          .join(",")
      : primitiveText(value);
  return `${p.name}=${encodeURIComponent(text)}`;
}

/** Can this text travel in a header as it is? Visible ASCII and inner spaces only. */
export const headerSafe = (text: string) =>
  /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(text) || text === "";

/** Percent-encodes query pairs; `[` and `]` of deepObject names stay readable. */
export function encodeQuery(pairs: Array<[string, string]>): string {
  const enc = (s: string) => encodeURIComponent(s).replaceAll("%5B", "[").replaceAll("%5D", "]");
  return pairs.map(([k, v]) => `${enc(k)}=${encodeURIComponent(v)}`).join("&");
}
