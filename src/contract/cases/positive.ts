import type { Operation } from "../../openapi/index.js";
import { createRng, deriveSeed } from "../generate/prng.js";
import { stringMatching } from "../generate/regex.js";
import { isNullable, type Obj, readable, typesOf, withValue } from "../generate/schema-walk.js";
import { type Slot, slotsOf } from "../generate/slots.js";
import { numericBounds, type ValueGenerator } from "../generate/values.js";
import type { Case } from "../types.js";
import {
  bodyShrinker,
  bodyValidator,
  buildRequest,
  type CaseSource,
  generatorFor,
  jsonBody,
  singleCase,
} from "./context.js";
import { fedCase, fedRequest, type ItemFeeder, inferredFeeder } from "./inferred.js";
import { linkedCase, linkInto } from "./linked.js";
import { parameterPositives, withParameterCases } from "./parameters.js";
import { entriesFor, withData } from "./test-data.js";

interface Candidate {
  detail: string;
  body: unknown;
  /** A boundary case's slot: neither test data nor a link may overwrite it. */
  except?: Array<string | number>;
}

/** Boundary values the keywords of one slot suggest, each as a label and a value. */
export function boundaryValues(doc: Obj, slot: Slot, gen: ValueGenerator): Array<[string, unknown]> {
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
    const { min, max } = numericBounds(s);
    const lower = s.minimum !== undefined || s.exclusiveMinimum !== undefined;
    if (lower) out.push(["minimum", min]);
    if (s.maximum !== undefined || s.exclusiveMaximum !== undefined) out.push(["maximum", max]);
    if (!lower) out.push(["zero", 0]);
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
 * ones. Test data (`--data`, then the spec's examples) goes into every body but the odd random
 * ones, so valid requests can succeed (an existing deployment) while random values still roam;
 * a boundary case keeps its own slot. Each body is validated before it becomes a case, so a
 * positive case is never secretly invalid. An operation that an OpenAPI link feeds (a session
 * exchange) gets the live values first: the linking operation runs, then this one.
 */
function bodyPositiveCases(
  src: CaseSource,
  op: Operation,
  byId: Map<string, Operation>,
  budget: number,
  items?: ItemFeeder,
): Case[] {
  const media = jsonBody(op);
  const validate = bodyValidator(src, op);
  if (!media || media.schema === undefined || !validate) return [];
  const doc = src.spec.document as Obj;
  const gen = generatorFor(src, op, "positive");
  const valid = (body: unknown) => validate(body).length === 0;
  const entries = entriesFor(src, op.id, media.examples.map((e) => e.value).filter(valid));
  const dataRng = createRng(deriveSeed(src.seed, op.id, "positive-data"));
  const withTestData = (body: unknown, except?: Candidate["except"]) =>
    withData(body, entries, dataRng, valid, except);
  const full = gen.generate(media.schema, "full");
  const candidates: Candidate[] = [
    { detail: "every property", body: withTestData(full) },
    { detail: "required properties only", body: withTestData(gen.generate(media.schema, "min")) },
  ];
  const matches = (schema: unknown, value: unknown) => src.engine.validate(schema, value).length === 0;
  for (const slot of slotsOf(doc, media.schema, full, matches)) {
    for (const [label, value] of boundaryValues(doc, slot, gen)) {
      candidates.push({
        detail: `boundary ${readable(slot.tokens)}: ${label}`,
        body: withTestData(withValue(full, slot.tokens, value), slot.tokens),
        except: slot.tokens,
      });
    }
  }
  for (let k = 0; k < src.maxCases * 3 && candidates.length < src.maxCases * 4; k++) {
    const body = gen.generate(media.schema, "random");
    candidates.push({ detail: `random #${k}`, body: k % 2 === 0 ? withTestData(body) : body });
  }
  const feeder = linkInto(op, byId);
  const seen = new Set<string>();
  const cases: Case[] = [];
  for (const c of candidates) {
    if (cases.length >= budget) break;
    const text = JSON.stringify(c.body);
    if (text === undefined || seen.has(text) || !valid(c.body)) continue;
    seen.add(text);
    if (feeder) {
      cases.push(linkedCase(src, op, feeder, cases.length, c));
      continue;
    }
    const keep = (v: unknown) => validate(v).length === 0;
    if (items) {
      const built = fedCase(src, op, items, cases.length, c.detail, { body: c.body }, c.body);
      built.shrink = { value: c.body, keep, rebuild: (v) => fedRequest(src, op, items, { body: v }, v) };
      cases.push(built);
      continue;
    }
    const request = buildRequest(src, op, { body: c.body });
    const built = singleCase(op, "positive", cases.length, c.detail, request, { kind: "valid" }, c.body);
    built.shrink = bodyShrinker(src, op, c.body, keep);
    cases.push(built);
  }
  return cases;
}

/**
 * Valid requests: body variants (above), then each parameter's boundary and random values with
 * everything else at its default.
 */
export function positiveCases(src: CaseSource, op: Operation, byId: Map<string, Operation>): Case[] {
  // An operation on an item (`GET /notes/{noteId}`) is sent to one its creator has just made, so a
  // valid request can succeed; an explicit link, when there is one, says more and goes first.
  const items = linkInto(op, byId) ? undefined : inferredFeeder(src, op, [...byId.values()]);
  const bodies = (s: CaseSource, o: Operation, budget: number) =>
    bodyPositiveCases(s, o, byId, budget, items);
  return withParameterCases(
    src,
    op,
    "positive",
    parameterPositives(src, op),
    bodies,
    () => ({ kind: "valid" }),
    items,
  );
}
