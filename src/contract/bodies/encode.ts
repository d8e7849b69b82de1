import type { MediaType, Parameter } from "../../openapi/index.js";
import { deref, isObj, type Obj } from "../generate/schema-walk.js";
import { primitiveText } from "../params/serialise.js";
import { coerceText, wireValue } from "../params/wire.js";
import { bodyKind, wireContentType } from "./media.js";

export interface EncodedBody {
  contentType: string;
  body: string;
}

/** A form field travels like an exploded `form` query parameter. */
const field = (name: string): Parameter => ({ name, in: "query", required: false, examples: [] });

/** `a=1&tags=x&tags=y&meta[k]=v`: arrays repeat their key, objects go deepObject-style. */
function formText(value: unknown): string {
  const out = new URLSearchParams();
  if (!isObj(value)) return primitiveText(value);
  for (const [k, v] of Object.entries(value)) {
    if (Array.isArray(v)) for (const item of v) out.append(k, primitiveText(item));
    else if (isObj(v)) for (const [sk, sv] of Object.entries(v)) out.append(`${k}[${sk}]`, primitiveText(sv));
    else if (v !== undefined) out.append(k, primitiveText(v));
  }
  return out.toString();
}

const BOUNDARY = "embedkit-form-boundary-7d1f";

function isFile(doc: Obj, schema: unknown): boolean {
  const s = deref(doc, schema);
  return s.format === "binary" || s.format === "byte" || typeof s.contentMediaType === "string";
}

function part(doc: Obj, schema: unknown, name: string, v: unknown): string {
  const file = isFile(doc, schema);
  const head = [
    `Content-Disposition: form-data; name="${name.replaceAll('"', "%22")}"${file ? `; filename="${name}.bin"` : ""}`,
  ];
  if (file) head.push("Content-Type: application/octet-stream");
  else if (v !== null && typeof v === "object") head.push("Content-Type: application/json");
  return `--${BOUNDARY}\r\n${head.join("\r\n")}\r\n\r\n${primitiveText(v)}\r\n`;
}

/** multipart/form-data per RFC 7578: a part per property, arrays as repeated parts, files as octets. */
function multipartText(doc: Obj, schema: unknown, value: unknown): string {
  const s = deref(doc, schema);
  const props = isObj(s.properties) ? s.properties : {};
  let out = "";
  for (const [k, v] of Object.entries(isObj(value) ? value : { value })) {
    if (v === undefined) continue;
    const sub = props[k];
    const items = Array.isArray(v) ? v : [v];
    const itemSchema = Array.isArray(v) ? deref(doc, sub).items : sub;
    for (const item of items) out += part(doc, itemSchema, k, item);
  }
  return `${out}--${BOUNDARY}--\r\n`;
}

/** The body of `media` carrying `value`, with the content type to send (wildcards made concrete). */
export function encodeBody(doc: Obj, media: MediaType, value: unknown): EncodedBody {
  const kind = bodyKind(media.contentType);
  const contentType = wireContentType(media.contentType);
  switch (kind) {
    case "form":
      return { contentType, body: formText(value) };
    case "multipart":
      return {
        contentType: `multipart/form-data; boundary=${BOUNDARY}`,
        body: multipartText(doc, media.schema, value),
      };
    case "text":
    case "binary":
    case "xml":
      return { contentType, body: primitiveText(value) };
    default:
      return { contentType, body: JSON.stringify(value) ?? "" };
  }
}

/**
 * What the server reads back from the encoded body: JSON as sent; form and multipart fields as
 * text coerced per their schema; text as text. Generated bodies are validated in this form.
 */
export function bodyWireValue(doc: Obj, media: MediaType, value: unknown): unknown {
  const kind = bodyKind(media.contentType);
  if (kind === "json" || kind === "xml") return value;
  if (kind === "text" || kind === "binary") return coerceText(doc, media.schema ?? {}, primitiveText(value));
  if (!isObj(value)) return value;
  const s = deref(doc, media.schema);
  const props = isObj(s.properties) ? s.properties : {};
  const out: Obj = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const sub = props[k] ?? {};
    const json = kind === "multipart" && v !== null && typeof v === "object" && !Array.isArray(v);
    out[k] = json ? v : wireValue(doc, field(k), sub, v);
  }
  return out;
}
