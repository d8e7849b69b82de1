/**
 * OpenAPI schemas → JSON Schema 2020-12. OpenAPI 3.1 schemas already are 2020-12, so this mostly
 * drops `x-*` annotations and re-points internal `$ref`s at the registered document; for 3.0
 * documents it also turns `nullable` and boolean `exclusiveMinimum`/`exclusiveMaximum` into 2020-12.
 */

type Obj = Record<string, unknown>;

/** Keywords whose value is a map from names to schemas: their keys are data, never keywords. */
const SCHEMA_MAPS = new Set(["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"]);

function nullable(node: Obj): Obj {
  if (node.nullable !== true) return node;
  const { nullable: _dropped, ...rest } = node;
  if (typeof rest.type === "string") return { ...rest, type: [rest.type, "null"] };
  if (Array.isArray(rest.type)) return { ...rest, type: [...rest.type, "null"] };
  // nullable without a type (e.g. beside allOf/$ref): null or whatever the rest says.
  return { anyOf: [rest, { type: "null" }] };
}

function exclusiveBounds(node: Obj): Obj {
  const out = { ...node };
  for (const [flag, bound] of [
    ["exclusiveMinimum", "minimum"],
    ["exclusiveMaximum", "maximum"],
  ] as const) {
    if (typeof out[flag] !== "boolean") continue;
    if (out[flag] === true && typeof out[bound] === "number") {
      out[flag] = out[bound];
      delete out[bound];
    } else delete out[flag];
  }
  return out;
}

export interface ConvertOptions {
  /** The `$id` the whole document is registered under; `#/...` refs are re-pointed into it. */
  documentId: string;
  /** Where the document sits inside the registered schema, e.g. "/$defs/document". */
  mountPointer: string;
  /** 3.0 documents need `nullable` and boolean exclusive bounds rewritten. */
  openapi30: boolean;
}

export function convertNode(node: unknown, options: ConvertOptions, inSchemaMap = false): unknown {
  if (Array.isArray(node)) return node.map((n) => convertNode(n, options));
  if (node === null || typeof node !== "object") return node;
  let obj = node as Obj;
  if (!inSchemaMap && options.openapi30) obj = exclusiveBounds(nullable(obj));
  const out: Obj = {};
  for (const [key, value] of Object.entries(obj)) {
    if (!inSchemaMap && key.startsWith("x-")) continue;
    if (!inSchemaMap && key === "$ref" && typeof value === "string" && value.startsWith("#")) {
      out[key] = `${options.documentId}#${options.mountPointer}${value.slice(1)}`;
      continue;
    }
    out[key] = convertNode(value, options, !inSchemaMap && SCHEMA_MAPS.has(key));
  }
  return out;
}
