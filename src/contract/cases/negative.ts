import type { Operation } from "../../openapi/index.js";
import { bodyKind, foreignContentType } from "../bodies/media.js";
import { isObj, type Obj, readable, typesOf, withValue } from "../generate/schema-walk.js";
import { type Slot, slotsOf } from "../generate/slots.js";
import { numericBounds } from "../generate/values.js";
import type { Case } from "../types.js";
import {
  baseBody,
  bodyShrinker,
  bodyValidator,
  buildRequest,
  type CaseSource,
  generatorFor,
  jsonBody,
  type RequestParts,
  singleCase,
} from "./context.js";
import { parameterNegatives, withParameterCases } from "./parameters.js";

interface Mutation {
  defect: string;
  parts: RequestParts;
  /** False for defects outside the schema (malformed JSON, content type): invalid by construction. */
  revalidate: boolean;
  /** Where the defect sits in the body: shrinking keeps it there, unchanged. */
  at?: Array<string | number>;
}

/** The value at `tokens` inside `root`, as JSON text (undefined when absent). */
function textAt(root: unknown, tokens: Array<string | number>): string | undefined {
  let node = root;
  for (const t of tokens)
    node =
      node !== null && typeof node === "object" ? (node as Record<string | number, unknown>)[t] : undefined;
  return JSON.stringify(node);
}

const WRONG_TYPE: Array<[string, unknown]> = [
  ["integer", 12345],
  ["string", "embedkit-wrong-type"],
  ["boolean", true],
  ["array", ["embedkit"]],
  ["object", { embedkit: true }],
];

/** One-defect edits of one slot, as (label, replacement); `undefined` removes the value. */
export function slotMutations(slot: Slot): Array<[string, unknown]> {
  const s = slot.schema;
  const out: Array<[string, unknown]> = [];
  const allowed = new Set(typesOf(slot.declared).length ? typesOf(slot.declared) : typesOf(s));
  if (allowed.has("number")) allowed.add("integer");
  const wrong = WRONG_TYPE.find(([t]) => !allowed.has(t) && allowed.size > 0);
  if (wrong) out.push([`wrong type (${wrong[0]})`, wrong[1]]);
  if (Array.isArray(s.enum)) out.push(["not an enum member", "embedkit-not-a-member"]);
  if (typeof s.pattern === "string") {
    const re = new RegExp(s.pattern, "u");
    const bad = ["!", "embedkit does not match!", "", "0"].find((c) => !re.test(c));
    if (bad !== undefined) out.push([`does not match pattern ${s.pattern}`, bad]);
  }
  if (typeof s.minLength === "number" && s.minLength > 0)
    out.push(["shorter than minLength", "x".repeat(s.minLength - 1)]);
  if (typeof s.maxLength === "number") out.push(["longer than maxLength", "x".repeat(s.maxLength + 1)]);
  const { min, max } = numericBounds(s);
  if (s.minimum !== undefined || s.exclusiveMinimum !== undefined) out.push(["below minimum", min - 1]);
  if (s.maximum !== undefined || s.exclusiveMaximum !== undefined) out.push(["above maximum", max + 1]);
  return out;
}

function objectMutations(slot: Slot): Array<[string, Array<string | number>, unknown]> {
  const out: Array<[string, Array<string | number>, unknown]> = [];
  if (!isObj(slot.value)) return out;
  const required = Array.isArray(slot.schema.required) ? (slot.schema.required as string[]) : [];
  for (const name of required) {
    if (name in slot.value)
      out.push([`required property "${name}" dropped`, [...slot.tokens, name], undefined]);
  }
  if (slot.schema.additionalProperties === false) {
    out.push(["unexpected additional property", [...slot.tokens, "embedkitUnexpected"], 1]);
  }
  return out;
}

function mutations(src: CaseSource, op: Operation, base: unknown): Mutation[] {
  const media = jsonBody(op);
  const out: Mutation[] = [];
  if (!media) return out;
  if (bodyKind(media.contentType) === "json")
    out.push({ defect: "malformed JSON", parts: { rawBody: '{"embedkit": ' }, revalidate: false });
  const foreign = foreignContentType(op);
  if (foreign)
    out.push({
      defect: `wrong content type (${foreign})`,
      parts: { body: base, contentType: foreign },
      revalidate: false,
    });
  if (op.requestBody?.required) out.push({ defect: "request body missing", parts: {}, revalidate: false });
  if (media.schema === undefined) return out;
  const matches = (schema: unknown, value: unknown) => src.engine.validate(schema, value).length === 0;
  for (const slot of slotsOf(src.spec.document as Obj, media.schema, base, matches)) {
    for (const [label, tokens, value] of objectMutations(slot)) {
      out.push({
        defect: `${readable(tokens)}: ${label}`,
        parts: { body: withValue(base, tokens, value) },
        revalidate: true,
        at: tokens,
      });
    }
    for (const [label, value] of slotMutations(slot)) {
      out.push({
        defect: `${readable(slot.tokens)}: ${label}`,
        parts: { body: withValue(base, slot.tokens, value) },
        revalidate: true,
        at: slot.tokens,
      });
    }
  }
  return out;
}

/**
 * Bodies with exactly one defect. Schema defects are re-validated and dropped when the schema
 * accepts them after all (a union can absorb a "wrong" type), so a demanded 4xx is always deserved.
 */
function bodyNegativeCases(src: CaseSource, op: Operation, budget: number): Case[] {
  const validate = bodyValidator(src, op);
  // Every property present, so every property gets its defects; an example when generation fails.
  const media = jsonBody(op);
  const full =
    media?.schema === undefined
      ? undefined
      : generatorFor(src, op, "negative").generate(media.schema, "full");
  const base = validate && full !== undefined && validate(full).length === 0 ? full : baseBody(src, op);
  const cases: Case[] = [];
  const seen = new Set<string>();
  for (const m of mutations(src, op, base)) {
    if (cases.length >= budget) break;
    if (m.revalidate && (!validate || validate(m.parts.body).length === 0)) continue;
    const key = `${m.parts.contentType}|${m.parts.rawBody ?? JSON.stringify(m.parts.body)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const request = buildRequest(src, op, m.parts);
    const expect = { kind: "invalid" as const, defect: m.defect };
    const built = singleCase(op, "negative", cases.length, m.defect, request, expect, m.parts.body);
    // A schema defect shrinks to the smallest body that still carries that very defect.
    const at = m.at;
    if (at && validate) {
      const defect = textAt(m.parts.body, at);
      const keep = (v: unknown) => textAt(v, at) === defect && validate(v).length > 0;
      built.shrink = bodyShrinker(src, op, m.parts.body, keep);
    }
    cases.push(built);
  }
  return cases;
}

/** Requests with one defect each: in the body (above) or in one parameter, the rest valid. */
export function negativeCases(src: CaseSource, op: Operation): Case[] {
  return withParameterCases(src, op, "negative", parameterNegatives(src, op), bodyNegativeCases, (v) => ({
    kind: "invalid",
    defect: v.detail,
  }));
}
