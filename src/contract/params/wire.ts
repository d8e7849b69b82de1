import type { Parameter } from "../../openapi/index.js";
import { branchesOf, deref, isObj, type Obj, typesOf } from "../generate/schema-walk.js";
import { primitiveText, styleOf } from "./serialise.js";

/**
 * What a server reads back from wire text. Parameters and form fields travel as text, so the
 * value a server validates is the text coerced to a type the schema allows: `12345` is a fine
 * string, and `"true"` a fine boolean. A generated value is judged by what it becomes on the
 * wire, never by what it was before serialisation: that is what keeps a "wrong type (integer)"
 * sent to a string parameter from being demanded a 4xx it does not deserve.
 */
function allowedTypes(doc: Obj, schema: unknown): string[] {
  const s = deref(doc, schema);
  const branches = branchesOf(s);
  if (branches) return [...new Set(branches.flatMap((b) => allowedTypes(doc, b)))];
  return typesOf(s);
}

const NUMERIC = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/** Text coerced to the first type of the schema that can hold it; the raw text when none can. */
export function coerceText(doc: Obj, schema: unknown, text: string): unknown {
  const types = allowedTypes(doc, schema);
  for (const t of types) {
    if (t === "string") return text;
    if (t === "integer" && /^-?(0|[1-9]\d*)$/.test(text)) return Number(text);
    if (t === "number" && NUMERIC.test(text)) return Number(text);
    if (t === "boolean" && (text === "true" || text === "false")) return text === "true";
    if (t === "null" && text === "") return null;
  }
  return text;
}

function itemsSchema(doc: Obj, schema: unknown): unknown {
  const s = deref(doc, schema);
  return s.items ?? {};
}

function propertySchema(doc: Obj, schema: unknown, name: string): unknown {
  const s = deref(doc, schema);
  if (isObj(s.properties) && name in s.properties) return s.properties[name];
  return isObj(s.additionalProperties) ? s.additionalProperties : {};
}

/**
 * The value a server reads for `value` sent as parameter `p` (or as a form field, which is a
 * `form`-style parameter), coerced per the schema. Header values lose surrounding whitespace.
 */
export function wireValue(doc: Obj, p: Parameter, schema: unknown, value: unknown): unknown {
  const { style, explode } = styleOf(p);
  // deepObject and exploded form objects are read by their property names: any other value is
  // not seen as this parameter at all.
  const byProperty =
    style === "deepObject" || (style === "form" && explode && allowedTypes(doc, schema).includes("object"));
  if (byProperty && !isObj(value)) return undefined;
  const trim = (t: string) => (p.in === "header" ? t.trim() : t);
  if (Array.isArray(value)) {
    const items = itemsSchema(doc, schema);
    const sep = style === "spaceDelimited" ? " " : style === "pipeDelimited" ? "|" : ",";
    const texts =
      explode && style === "form"
        ? value.map(primitiveText)
        : value.length === 0
          ? []
          : value.map(primitiveText).join(sep).split(sep);
    return texts.map((t) => coerceText(doc, items, trim(t)));
  }
  if (isObj(value)) {
    const out: Obj = {};
    for (const [k, v] of Object.entries(value)) {
      const sub = propertySchema(doc, schema, k);
      out[k] = Array.isArray(v)
        ? v.map((item) => coerceText(doc, itemsSchema(doc, sub), primitiveText(item)))
        : coerceText(doc, sub, trim(primitiveText(v)));
    }
    return out;
  }
  return coerceText(doc, schema, trim(primitiveText(value)));
}
