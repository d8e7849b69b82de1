import { branchesOf, deref, isObj, type Obj } from "./schema-walk.js";

/** One place in a value together with the schema that governs it there. */
export interface Slot {
  tokens: Array<string | number>;
  /** Dereferenced; for a union, the branch the value matches. */
  schema: Obj;
  /** The schema before the union was resolved (to know whether null is allowed). */
  declared: Obj;
  value: unknown;
}

export type Matcher = (schema: unknown, value: unknown) => boolean;

/**
 * Every slot of `value` under `schema`, parents before children. Array items are visited once
 * (the first), which is enough for one-defect mutations and keeps the case count bounded.
 */
export function slotsOf(doc: Obj, schema: unknown, value: unknown, matches: Matcher): Slot[] {
  const out: Slot[] = [];
  const visit = (raw: unknown, v: unknown, tokens: Array<string | number>, depth: number) => {
    if (depth > 12) return;
    const declared = deref(doc, raw);
    let s = declared;
    const branches = branchesOf(declared);
    if (branches) {
      const hit = branches.find((b) => matches(b, v));
      if (hit === undefined) return;
      s = deref(doc, hit);
    }
    out.push({ tokens, schema: s, declared, value: v });
    if (isObj(v) && isObj(s.properties)) {
      for (const [name, sub] of Object.entries(s.properties)) {
        if (name in v) visit(sub, v[name], [...tokens, name], depth + 1);
      }
    } else if (Array.isArray(v) && v.length > 0 && s.items !== undefined) {
      visit(s.items, v[0], [...tokens, 0], depth + 1);
    }
  };
  visit(schema, value, [], 0);
  return out;
}
