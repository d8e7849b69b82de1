import { getAtPointer, joinPointer, splitPointer } from "../../openapi/index.js";
import type { Rng } from "../generate/prng.js";
import { isObj, withValue } from "../generate/schema-walk.js";
import type { CaseSource } from "./context.js";

/**
 * Values a valid request should carry so that it can succeed (a deployment that exists, a key id
 * the service knows), as `--data cases.yaml` gives them, like Specmatic's dictionary:
 *
 *     generateSession:            # an operationId, or "*" for every operation
 *       deploymentId: [32, 33]    # a property name, anywhere in the body: candidate values
 *       /user/role: [admin]       # or a JSON pointer into the body
 *
 * Each entry is a list of candidates (wrap an array value in a list: `[[a, b]]`).
 */
export type TestData = Record<string, Record<string, unknown[]>>;

type Tokens = Array<string | number>;

/** Leaves of an example body as (JSON pointer tokens, value); arrays are leaves. */
function leaves(value: unknown, tokens: Tokens = []): Array<[Tokens, unknown]> {
  if (!isObj(value)) return tokens.length ? [[tokens, value]] : [];
  return Object.entries(value).flatMap(([k, v]) => leaves(v, [...tokens, k]));
}

/** Every place in `body` where a property is called `name`. */
function placesNamed(body: unknown, name: string, tokens: Tokens = []): Tokens[] {
  if (Array.isArray(body)) return body.flatMap((item, i) => placesNamed(item, name, [...tokens, i]));
  if (!isObj(body)) return [];
  return Object.entries(body).flatMap(([k, v]) => [
    ...(k === name ? [[...tokens, k]] : []),
    ...placesNamed(v, name, [...tokens, k]),
  ]);
}

/** Does one place hold the other (or are they the same)? Then a write to one changes the other. */
export function overlaps(a: Tokens, b: Tokens): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (String(a[i]) !== String(b[i])) return false;
  return true;
}

interface Entry {
  /** A JSON pointer's tokens, or a property name matched anywhere. */
  at: Tokens | string;
  candidates: unknown[];
}

/** The data for one operation: the user's first (its own, then "*"), then the spec's examples. */
export function entriesFor(src: CaseSource, operationId: string, examples: unknown[]): Entry[] {
  const out: Entry[] = [];
  const seen = new Set<string>();
  for (const scope of [src.data?.[operationId], src.data?.["*"]]) {
    for (const [key, candidates] of Object.entries(scope ?? {})) {
      if (seen.has(key) || candidates.length === 0) continue;
      seen.add(key);
      out.push({ at: key.startsWith("/") ? splitPointer(key) : key, candidates });
    }
  }
  const fromExamples = new Map<string, { tokens: Tokens; values: unknown[] }>();
  for (const example of examples) {
    for (const [tokens, value] of leaves(example)) {
      const key = `/${tokens.join("/")}`;
      if (seen.has(key) || seen.has(String(tokens[tokens.length - 1]))) continue;
      const entry = fromExamples.get(key) ?? { tokens, values: [] };
      entry.values.push(value);
      fromExamples.set(key, entry);
    }
  }
  for (const { tokens, values } of fromExamples.values()) out.push({ at: tokens, candidates: values });
  return out;
}

/**
 * `body` with the data's values put in, one field at a time, each kept only when the body still
 * validates: the schema stays the judge of what a valid request is. `except` (a boundary case's
 * slot) keeps its generated value.
 */
export function withData(
  body: unknown,
  entries: readonly Entry[],
  rng: Rng,
  valid: (body: unknown) => boolean,
  except?: Tokens,
): unknown {
  let out = body;
  for (const entry of entries) {
    const places = typeof entry.at === "string" ? placesNamed(out, entry.at) : [entry.at];
    for (const tokens of places) {
      // Only values the body already has: "required properties only" must stay just that.
      if (getAtPointer(out, joinPointer("", ...tokens)) === undefined) continue;
      if (except && overlaps(tokens, except)) continue;
      const next = withValue(out, tokens, rng.pick(entry.candidates));
      if (valid(next)) out = next;
    }
  }
  return out;
}
