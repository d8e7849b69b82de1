import type { Operation } from "../../openapi/index.js";
import { stringMatching } from "../generate/regex.js";
import { isNullable, type Obj, readable, typesOf, withValue } from "../generate/schema-walk.js";
import { type Slot, slotsOf } from "../generate/slots.js";
import type { ValueGenerator } from "../generate/values.js";
import type { Case } from "../types.js";
import {
  bodyValidator,
  buildRequest,
  type CaseSource,
  generatorFor,
  jsonBody,
  singleCase,
} from "./context.js";

interface Candidate {
  detail: string;
  body: unknown;
}

/** Boundary values the keywords of one slot suggest, each as a label and a value. */
function boundaryValues(doc: Obj, slot: Slot, gen: ValueGenerator): Array<[string, unknown]> {
  const s = slot.schema;
  const out: Array<[string, unknown]> = [];
  const types = typesOf(s);
  if (Array.isArray(s.enum)) for (const m of s.enum) out.push([`enum ${JSON.stringify(m)}`, m]);
  if (types.includes("string")) {
    if (typeof s.minLength === "number") out.push(["minLength", "m".repeat(s.minLength)]);
    if (typeof s.maxLength === "number") out.push(["maxLength", "M".repeat(s.maxLength)]);
    if (typeof s.pattern === "string") {
      for (let k = 0; k < 2; k++) out.push(["pattern", stringMatching(s.pattern, gen.rng)]);
    }
    if (s.minLength === undefined && s.pattern === undefined && s.format === undefined)
      out.push(["empty string", ""]);
  }
  if (types.includes("integer") || types.includes("number")) {
    if (typeof s.minimum === "number") out.push(["minimum", s.minimum]);
    if (typeof s.maximum === "number") out.push(["maximum", s.maximum]);
    if (s.minimum === undefined) out.push(["zero", 0]);
  }
  if (types.includes("boolean")) out.push(["false", false], ["true", true]);
  if (types.includes("array") && slot.schema.items !== undefined) {
    out.push(["empty array", []], ["one item", [gen.generate(s.items, "full")]]);
  }
  if (types.includes("object")) out.push(["required properties only", gen.generate(s, "min")]);
  if (isNullable(doc, slot.declared) && slot.tokens.length > 0) out.push(["null", null]);
  return out.filter(([, v]) => v !== undefined);
}

/**
 * Valid bodies: the full and the minimal value, boundary values per keyword, then seeded random
 * ones. Each is validated before it becomes a case, so a positive case is never secretly invalid.
 */
export function positiveCases(src: CaseSource, op: Operation): Case[] {
  const media = jsonBody(op);
  const validate = bodyValidator(src, op);
  if (!media || media.schema === undefined || !validate) return [];
  const doc = src.spec.document as Obj;
  const gen = generatorFor(src, op, "positive");
  const full = gen.generate(media.schema, "full");
  const candidates: Candidate[] = [
    { detail: "every property", body: full },
    { detail: "required properties only", body: gen.generate(media.schema, "min") },
  ];
  const matches = (schema: unknown, value: unknown) => src.engine.validate(schema, value).length === 0;
  for (const slot of slotsOf(doc, media.schema, full, matches)) {
    for (const [label, value] of boundaryValues(doc, slot, gen)) {
      candidates.push({
        detail: `boundary ${readable(slot.tokens)}: ${label}`,
        body: withValue(full, slot.tokens, value),
      });
    }
  }
  for (let k = 0; k < src.maxCases * 3 && candidates.length < src.maxCases * 4; k++) {
    candidates.push({ detail: `random #${k}`, body: gen.generate(media.schema, "random") });
  }
  const seen = new Set<string>();
  const cases: Case[] = [];
  for (const c of candidates) {
    if (cases.length >= src.maxCases) break;
    const text = JSON.stringify(c.body);
    if (text === undefined || seen.has(text) || validate(c.body).length > 0) continue;
    seen.add(text);
    const request = buildRequest(src, op, { body: c.body });
    cases.push(singleCase(op, "positive", cases.length, c.detail, request, { kind: "valid" }, c.body));
  }
  return cases;
}
