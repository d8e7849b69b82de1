import type { Rng } from "./prng.js";
import { stringMatching } from "./regex.js";
import { branchesOf, deref, isObj, type Obj, typesOf } from "./schema-walk.js";

/**
 * `min`: only what is required; `full`: every property, non-null branches first, one item per
 * array (the base that boundary values and mutations are applied to); `random`: seeded choices.
 */
export type Mode = "min" | "full" | "random";

const FORMATS: Record<string, string[]> = {
  uri: ["https://example.com/", "https://app.example.org/embed/"],
  url: ["https://example.com/", "https://example.com/avatars/a.png"],
  email: ["user@example.com", "a.b@example.org"],
  "date-time": ["2026-01-02T03:04:05Z"],
  date: ["2026-01-02"],
  uuid: ["aa111111-1a11-111a-aa11-1aaaa11a1a11", "00000000-0000-4000-8000-000000000000"],
  hostname: ["example.com"],
  ipv4: ["127.0.0.1"],
};

/**
 * The inclusive range a number schema allows, read the 3.1 way (`exclusiveMinimum: 5`) and the
 * 3.0 way (`minimum: 5, exclusiveMinimum: true`). Exclusive bounds step by 1, a whole step for
 * integers and well inside the range for numbers.
 */
export function numericBounds(s: Obj): { min: number; max: number } {
  let min = typeof s.minimum === "number" ? s.minimum : 0;
  if (typeof s.exclusiveMinimum === "number") min = s.exclusiveMinimum + 1;
  else if (s.exclusiveMinimum === true && typeof s.minimum === "number") min = s.minimum + 1;
  let max = typeof s.maximum === "number" ? s.maximum : min + 1000;
  if (typeof s.exclusiveMaximum === "number") max = s.exclusiveMaximum - 1;
  else if (s.exclusiveMaximum === true && typeof s.maximum === "number") max = s.maximum - 1;
  const lower = s.minimum !== undefined || s.exclusiveMinimum !== undefined;
  if (min > max && !lower) min = max - 1000;
  return { min, max: Math.max(min, max) };
}

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789-_ ABCXYZ";
const MAX_DEPTH = 8;
/**
 * Past this depth nothing more is generated, whatever the schema demands: a schema whose required
 * property is the schema itself has no finite instance, and must not overflow the stack.
 */
const HARD_DEPTH = 32;

export class ValueGenerator {
  constructor(
    readonly doc: Obj,
    readonly rng: Rng,
  ) {}

  generate(schema: unknown, mode: Mode, depth = 0): unknown {
    if (depth > HARD_DEPTH) return undefined;
    const s = deref(this.doc, schema);
    if ("const" in s) return s.const;
    if (Array.isArray(s.enum) && s.enum.length) return mode === "random" ? this.rng.pick(s.enum) : s.enum[0];
    const branches = branchesOf(s);
    if (branches?.length) {
      const nonNull = branches.filter((b) => !typesOf(deref(this.doc, b)).includes("null"));
      const pool = mode === "random" ? branches : nonNull.length ? nonNull : branches;
      return this.generate(mode === "random" ? this.rng.pick(pool) : pool[0], mode, depth + 1);
    }
    const types = typesOf(s);
    const nonNull = types.filter((t) => t !== "null");
    let type = nonNull[0] ?? types[0] ?? "string";
    if (depth > MAX_DEPTH && types.includes("null")) type = "null";
    else if (mode === "random" && types.length) type = this.rng.pick(types);
    return this.ofType(s, type, mode, depth);
  }

  ofType(s: Obj, type: string, mode: Mode, depth: number): unknown {
    switch (type) {
      case "null":
        return null;
      case "boolean":
        return mode === "random" ? this.rng.chance(0.5) : true;
      case "integer":
      case "number":
        return this.number(s, type === "integer", mode);
      case "string":
        return this.string(s, mode);
      case "array":
        return this.array(s, mode, depth);
      default:
        return this.object(s, mode, depth);
    }
  }

  number(s: Obj, integer: boolean, mode: Mode): number {
    const { min, max } = numericBounds(s);
    if (mode !== "random") return Math.max(min, Math.min(max, integer ? Math.ceil(min) : min));
    const n = min + this.rng.next() * (max - min);
    return integer ? Math.round(n) : Math.round(n * 100) / 100;
  }

  string(s: Obj, mode: Mode): string | undefined {
    if (typeof s.pattern === "string") return stringMatching(s.pattern, this.rng);
    const format = typeof s.format === "string" ? FORMATS[s.format] : undefined;
    if (format) return mode === "random" ? this.rng.pick(format) : format[0];
    const min = typeof s.minLength === "number" ? s.minLength : 0;
    const max = typeof s.maxLength === "number" ? s.maxLength : Math.max(min, 24);
    if (mode !== "random") return "embedkit".padEnd(min, "x").slice(0, Math.max(min, Math.min(8, max)));
    const len = this.rng.int(min, Math.min(max, min + 24));
    let out = "";
    for (let i = 0; i < len; i++) out += ALPHABET[this.rng.int(0, ALPHABET.length - 1)];
    return out;
  }

  array(s: Obj, mode: Mode, depth: number): unknown[] {
    const min = typeof s.minItems === "number" ? s.minItems : 0;
    const max = typeof s.maxItems === "number" ? s.maxItems : min + 3;
    const n =
      mode === "min" ? min : mode === "full" ? Math.max(min, Math.min(1, max)) : this.rng.int(min, max);
    if (depth > MAX_DEPTH) return [];
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) out.push(this.generate(s.items ?? {}, mode, depth + 1));
    return out;
  }

  object(s: Obj, mode: Mode, depth: number): Obj {
    const props = isObj(s.properties) ? s.properties : {};
    const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
    const out: Obj = {};
    for (const [name, sub] of Object.entries(props)) {
      // readOnly properties belong to responses: a request never sends them.
      if (deref(this.doc, sub).readOnly === true) continue;
      const include =
        required.has(name) ||
        (depth <= MAX_DEPTH && (mode === "full" || (mode === "random" && this.rng.chance(0.5))));
      if (!include) continue;
      const value = this.generate(sub, mode, depth + 1);
      if (value !== undefined) out[name] = value;
    }
    return out;
  }
}
