import type { Operation, Parameter } from "../../openapi/index.js";
import { deref, type Obj } from "../generate/schema-walk.js";
import type { Slot } from "../generate/slots.js";
import { headerSafe, pathText, primitiveText } from "../params/serialise.js";
import { wireValue } from "../params/wire.js";
import type { Case, Expectation, Step } from "../types.js";
import {
  baseBody,
  buildRequest,
  type CaseSource,
  generatorFor,
  jsonBody,
  type RequestParts,
  singleCase,
} from "./context.js";
import { fedCase, fedRequest, type ItemFeeder } from "./inferred.js";
import { slotMutations } from "./negative.js";
import { boundaryValues } from "./positive.js";

/** `query:limit`, `path:noteId`, `header:x-request-id` (header names lower-cased). */
export const paramKey = (p: Parameter) => `${p.in}:${p.in === "header" ? p.name.toLowerCase() : p.name}`;

/** A parameter left out of the request on purpose (the "missing required parameter" case). */
export const OMIT: unique symbol = Symbol("omit");

/** Parameter values by `paramKey`; a key absent means "the default", `OMIT` means "not sent". */
export type ParamValues = Record<string, unknown>;

export interface ParamVariant {
  detail: string;
  params: ParamValues;
  /** The parameter this variant is about, for coverage. */
  key: string;
}

const schemaOf = (p: Parameter) => p.schema ?? { type: "string" };

/** Can the value travel as this parameter at all (a path segment cannot be empty, a header cannot hold a newline)? */
export function transmittable(p: Parameter, value: unknown): boolean {
  if (value === undefined) return false;
  if (p.in === "path") return pathText(p, value) !== "" && !/^\.{1,2}$/.test(primitiveText(value));
  // An empty query value is only allowed where the spec says allowEmptyValue (default false).
  if (p.in === "query" && !p.allowEmptyValue && !Array.isArray(value) && primitiveText(value) === "")
    return false;
  if (p.in === "header") {
    const texts = Array.isArray(value) ? value.map(primitiveText) : [primitiveText(value)];
    return texts.every(headerSafe);
  }
  return true;
}

/** Is the value, as the server reads it back from the wire, valid for the parameter? */
export function validOnWire(src: CaseSource, p: Parameter, value: unknown): boolean {
  const doc = src.spec.document as Obj;
  const schema = schemaOf(p);
  const read = wireValue(doc, p, schema, value);
  if (read === undefined) return !p.required;
  return src.engine.validate(schema, read).length === 0;
}

const cache = new WeakMap<CaseSource, Map<string, ParamValues>>();

/**
 * The values sent when a case does not vary a parameter: for each required one the first value
 * `--data` gives for its name (the operation's own, then "*"), else its first valid example
 * (parameter `example`/`examples`, then the schema's `example`/`examples`), else a generated one.
 * Optional parameters are left out.
 */
export function defaultParams(src: CaseSource, op: Operation): ParamValues {
  const perOp = cache.get(src) ?? new Map<string, ParamValues>();
  cache.set(src, perOp);
  const hit = perOp.get(op.id);
  if (hit) return hit;
  const gen = generatorFor(src, op, "examples");
  const out: ParamValues = {};
  for (const p of op.parameters) {
    if (!p.required) continue;
    const given = src.data?.[op.id]?.[p.name] ?? src.data?.["*"]?.[p.name];
    if (given?.length) {
      out[paramKey(p)] = given[0];
      continue;
    }
    const s = schemaOf(p) as Obj;
    const schemaExamples = [
      ...(typeof s === "object" && "example" in s ? [s.example] : []),
      ...(Array.isArray(s.examples) ? s.examples : []),
    ];
    const candidates = [...p.examples, ...schemaExamples, gen.generate(s, "full"), gen.generate(s, "random")];
    const value = candidates.find((v) => transmittable(p, v) && validOnWire(src, p, v));
    out[paramKey(p)] = value ?? candidates[candidates.length - 2];
  }
  perOp.set(op.id, out);
  return out;
}

const slotOf = (schema: Obj, value: unknown): Slot => ({
  tokens: [],
  schema,
  declared: schema,
  value,
});

/** Valid values per parameter: boundaries per keyword first, then seeded random ones. */
export function parameterPositives(src: CaseSource, op: Operation): ParamVariant[] {
  const doc = src.spec.document as Obj;
  const gen = generatorFor(src, op, "positive");
  const out: ParamVariant[] = [];
  for (const p of op.parameters) {
    const schema = deref(doc, schemaOf(p));
    const base = gen.generate(schema, "full");
    const values: Array<[string, unknown]> = [
      ...(p.required ? [] : ([["present", base]] as Array<[string, unknown]>)),
      ...boundaryValues(doc, slotOf(schema, base), gen),
      ...Array.from({ length: 3 }, (_, k): [string, unknown] => [
        `random #${k}`,
        gen.generate(schema, "random"),
      ]),
    ];
    for (const [label, value] of values) {
      if (!transmittable(p, value) || !validOnWire(src, p, value)) continue;
      out.push({ detail: `${p.in} ${p.name}: ${label}`, params: { [paramKey(p)]: value }, key: paramKey(p) });
    }
  }
  return out;
}

/** One defect each: a value the schema refuses even after the wire's coercion, or a required parameter left out. */
export function parameterNegatives(src: CaseSource, op: Operation): ParamVariant[] {
  const doc = src.spec.document as Obj;
  const defaults = defaultParams(src, op);
  const out: ParamVariant[] = [];
  for (const p of op.parameters) {
    const key = paramKey(p);
    if (p.required && p.in !== "path") {
      out.push({ detail: `${p.in} ${p.name}: required parameter missing`, params: { [key]: OMIT }, key });
    }
    const schema = deref(doc, schemaOf(p));
    const base = defaults[key] ?? generatorFor(src, op, "negative").generate(schema, "full");
    for (const [label, value] of slotMutations(slotOf(schema, base))) {
      if (value === undefined || !transmittable(p, value) || validOnWire(src, p, value)) continue;
      out.push({ detail: `${p.in} ${p.name}: ${label}`, params: { [key]: value }, key });
    }
  }
  return out;
}

/**
 * Body cases (from `bodyCases`, within what the parameters leave of the cap), then a case per
 * parameter variant with a valid body. Up to half the cap goes to parameters when there is a body.
 * With a `feeder`, a variant runs on an item its creator has just made (see `fedCase`).
 */
export function withParameterCases(
  src: CaseSource,
  op: Operation,
  phase: "positive" | "negative",
  variants: ParamVariant[],
  bodyCases: (src: CaseSource, op: Operation, budget: number) => Case[],
  expect: (v: ParamVariant) => Expectation,
  feeder?: ItemFeeder,
): Case[] {
  const hasBody = jsonBody(op) !== undefined;
  const paramBudget = hasBody ? Math.min(variants.length, Math.ceil(src.maxCases / 2)) : src.maxCases;
  const cases = bodyCases(src, op, src.maxCases - paramBudget);
  const body = hasBody ? baseBody(src, op) : undefined;
  // Without a body (whose cases are fed already), one case on an item that exists, defaults elsewhere.
  const onDefaults = feeder && !hasBody;
  if (onDefaults) cases.push(fedCase(src, op, feeder, cases.length, "every parameter at its default", {}));
  for (const v of variants.slice(0, paramBudget - (onDefaults ? 1 : 0))) {
    // A variant of a path parameter keeps its value; every other one goes to an item that exists.
    const fed = v.key.startsWith("path:") ? undefined : feeder;
    const partsOf = (value: unknown): RequestParts => ({
      params: { [v.key]: value },
      ...(body === undefined ? {} : { body }),
    });
    const stepOf = (value: unknown): Pick<Step, "request" | "bodyValue"> =>
      fed
        ? fedRequest(src, op, fed, partsOf(value), body)
        : {
            request: buildRequest(src, op, partsOf(value)),
            ...(body === undefined ? {} : { bodyValue: body }),
          };
    const value = v.params[v.key];
    const built = fed
      ? fedCase(src, op, fed, cases.length, v.detail, partsOf(value), body)
      : singleCase(op, phase, cases.length, v.detail, buildRequest(src, op, partsOf(value)), expect(v), body);
    const p = op.parameters.find((x) => paramKey(x) === v.key);
    if (p && typeof value !== "symbol") {
      const fits = (c: unknown) => transmittable(p, c) && validOnWire(src, p, c) === (phase === "positive");
      built.shrink = { value, keep: fits, rebuild: stepOf };
    }
    cases.push(built);
  }
  return cases;
}
