import { getAtPointer } from "../../openapi/index.js";

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

/** Follows internal `$ref`s to the schema they name; allOf members are merged shallowly. */
export function deref(doc: Obj, schema: unknown, hops = 0): Obj {
  if (!isObj(schema)) return {};
  if (typeof schema.$ref === "string" && schema.$ref.startsWith("#") && hops < 32) {
    const { $ref, ...rest } = schema;
    const target = deref(doc, getAtPointer(doc, $ref as string), hops + 1);
    return Object.keys(rest).length ? { ...target, ...rest } : target;
  }
  if (Array.isArray(schema.allOf)) {
    const { allOf, ...rest } = schema;
    let merged: Obj = {};
    for (const part of allOf) {
      const p = deref(doc, part, hops + 1);
      merged = {
        ...merged,
        ...p,
        properties: { ...(merged.properties as Obj), ...(p.properties as Obj) },
        required: [...((merged.required as string[]) ?? []), ...((p.required as string[]) ?? [])],
      };
    }
    return { ...merged, ...rest };
  }
  return schema;
}

/** The JSON types a schema allows; `[]` means any. */
export function typesOf(schema: Obj): string[] {
  if (Array.isArray(schema.type)) return schema.type as string[];
  if (typeof schema.type === "string") return [schema.type];
  if ("const" in schema) return [jsonType(schema.const)];
  if (Array.isArray(schema.enum)) return [...new Set(schema.enum.map(jsonType))];
  if (isObj(schema.properties) || Array.isArray(schema.required)) return ["object"];
  if ("items" in schema) return ["array"];
  return [];
}

export function jsonType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

/** The oneOf/anyOf branches, or undefined when the schema is no union. */
export function branchesOf(schema: Obj): unknown[] | undefined {
  if (Array.isArray(schema.oneOf)) return schema.oneOf;
  if (Array.isArray(schema.anyOf)) return schema.anyOf;
  return undefined;
}

/** True when the schema (or one of its branches) admits null. */
export function isNullable(doc: Obj, schema: Obj): boolean {
  if (typesOf(schema).includes("null") || schema.nullable === true) return true;
  return (branchesOf(schema) ?? []).some((b) => typesOf(deref(doc, b)).includes("null"));
}

export const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

/** Sets `value` at a pointer made of tokens inside `root`, which must be a container. */
export function setAt(root: unknown, tokens: Array<string | number>, value: unknown): unknown {
  if (tokens.length === 0) return value;
  let node = root as Record<string | number, unknown>;
  for (const t of tokens.slice(0, -1)) node = node[t] as Record<string | number, unknown>;
  const last = tokens[tokens.length - 1] as string | number;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return root;
}

/** A copy of `root` with the value at `tokens` replaced (or removed when `value` is undefined). */
export function withValue(root: unknown, tokens: Array<string | number>, value: unknown): unknown {
  return setAt(clone(root), tokens, value);
}

/** `["user", 0, "name"]` → `body.user[0].name`. */
export function readable(tokens: Array<string | number>): string {
  return tokens.reduce<string>((out, t) => (typeof t === "number" ? `${out}[${t}]` : `${out}.${t}`), "body");
}
