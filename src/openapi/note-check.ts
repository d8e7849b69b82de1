import { createRequire } from "node:module";
import type { Ajv2020, ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import { nearest } from "./nearest.js";
import { NOTE_DEFINITIONS, type NoteDefinition, type NotePlace } from "./notes.js";
import { joinPointer } from "./pointer.js";

/** One thing wrong with a note: where (JSON pointer into the document) and what. */
export interface NoteProblem {
  pointer: string;
  message: string;
}

const PREFIX = "x-embedkit-";
const METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);
const byKey = new Map(NOTE_DEFINITIONS.map((d) => [d.key as string, d]));

const pointerOf = (tokens: readonly string[]) => joinPointer("", ...tokens);

/** What kind of OpenAPI object the tokens lead to, as far as notes care. */
function placeOf(tokens: readonly string[]): NotePlace | "elsewhere" {
  const [a, b, c, d] = tokens;
  if (tokens.length === 0 || (tokens.length === 1 && a === "info")) return "document";
  if (a === "paths" && tokens.length === 3 && METHODS.has(c ?? "")) return "operation";
  if (a === "paths" && tokens.length === 5 && METHODS.has(c ?? "") && d === "responses") return "response";
  if (a === "components" && b === "responses" && tokens.length === 3) return "response";
  if ((a === "components" && b === "schemas") || tokens.includes("schema")) return "schema";
  return "elsewhere";
}

// ajv is CommonJS and loaded only when a spec is checked: the emulator's start-up reads specs the
// build already checked (see load.ts), and must not pay ~40 ms for ajv.
const nodeRequire = createRequire(import.meta.url);
let ajv: Ajv2020 | undefined;
const compiled = new Map<string, ValidateFunction>();

function validatorOf(definition: NoteDefinition<unknown>): ValidateFunction {
  let v = compiled.get(definition.key);
  if (!v) {
    const { Ajv2020: Ajv } = nodeRequire("ajv/dist/2020.js") as typeof import("ajv/dist/2020.js");
    ajv ??= new Ajv({ allErrors: true, strict: true });
    v = ajv.compile(definition.schema);
    compiled.set(definition.key, v);
  }
  return v;
}

/** ajv's error as one readable line at its own pointer; unknown properties get a suggestion. */
function problemOf(key: string, at: string, error: ErrorObject, known: string[]): NoteProblem {
  const where = `${at}${error.instancePath}`;
  if (error.keyword === "additionalProperties") {
    const name = String(error.params.additionalProperty);
    const hint = nearest(name, known);
    return {
      pointer: joinPointer(where, name),
      message: `${key}: unknown property "${name}"${hint ? ` (did you mean "${hint}"?)` : ""}`,
    };
  }
  if (error.keyword === "required")
    return { pointer: where, message: `${key}: missing property "${String(error.params.missingProperty)}"` };
  const allowed = error.keyword === "enum" ? `: ${(error.params.allowedValues as unknown[]).join(", ")}` : "";
  return { pointer: where, message: `${key}: ${error.message ?? "invalid"}${allowed}` };
}

/** Problems of one note: its place, then its value against its schema. */
function checkNote(key: string, value: unknown, tokens: readonly string[]): NoteProblem[] {
  const at = pointerOf([...tokens, key]);
  const definition = byKey.get(key);
  if (!definition) {
    const hint = nearest(key, [...byKey.keys()]);
    return [
      {
        pointer: at,
        message: `unknown note ${key}${hint ? ` (did you mean ${hint}?)` : ""}; known: ${[...byKey.keys()].join(", ")}`,
      },
    ];
  }
  const place = placeOf(tokens);
  if (place === "elsewhere" || !definition.places.includes(place))
    return [{ pointer: at, message: `${key} belongs on ${definition.places.join(" or ")}, not here` }];
  const validate = validatorOf(definition);
  if (validate(value)) return [];
  const properties = (definition.schema.properties ?? {}) as Record<string, unknown>;
  return (validate.errors ?? []).map((e) => problemOf(key, at, e, Object.keys(properties)));
}

/**
 * Every problem of every `x-embedkit-*` key in a parsed document, in document order: unknown
 * notes, notes in the wrong place, and values their schema rejects. Never throws.
 */
export function noteProblems(document: unknown): NoteProblem[] {
  const out: NoteProblem[] = [];
  // One path, pushed and popped, copied only where a note stands: a 13 MB spec has millions of nodes.
  const tokens: string[] = [];
  const walk = (node: unknown) => {
    if (node === null || typeof node !== "object") return;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        tokens.push(String(i));
        walk(node[i]);
        tokens.pop();
      }
      return;
    }
    for (const key in node) {
      if (!Object.hasOwn(node, key)) continue;
      // Examples are data, not spec: a body may well carry a field named like a note.
      if (key === "example" || key === "examples") continue;
      const value = (node as Record<string, unknown>)[key];
      if (key.startsWith(PREFIX)) out.push(...checkNote(key, value, [...tokens]));
      else {
        tokens.push(key);
        walk(value);
        tokens.pop();
      }
    }
  };
  walk(document);
  return out;
}
