import { parse as parseYaml } from "yaml";
import { SpecError } from "./errors.js";

/**
 * YAML (or JSON, which YAML contains) to a value. Imported statically here and this module is
 * what others load lazily: a bundled dynamic `import("yaml")` gets only a default export, which
 * broke `embedkit mock --config` in the shipped bin.
 */
export function parseYamlText(text: string): unknown {
  return parseYaml(text, { uniqueKeys: true, maxAliasCount: 100 });
}

/** Parses YAML or JSON text into a document object, with a clear error for anything else. */
export function parseSpecText(text: string, source: string): Record<string, unknown> {
  let doc: unknown = fastJson(text);
  if (doc !== undefined) return doc as Record<string, unknown>;
  try {
    // YAML is a superset of JSON, so one parser reads both. Merge keys and custom tags stay off.
    doc = parseYaml(text, { prettyErrors: true, uniqueKeys: true, maxAliasCount: 1000 });
  } catch (error) {
    throw new SpecError(`not valid YAML or JSON: ${(error as Error).message.split("\n")[0]}`, source);
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
    throw new SpecError("the document is not an object; expected an OpenAPI description", source);
  }
  return doc as Record<string, unknown>;
}

/**
 * A JSON spec read by JSON.parse: GitHub's 13 MB REST description takes ~0.1 s that way and
 * tens of seconds through the YAML parser. Anything JSON.parse refuses (YAML, or JSON the YAML
 * parser words better errors for) falls through to the YAML path.
 */
function fastJson(text: string): Record<string, unknown> | undefined {
  if (!/^\s*\{/.test(text)) return undefined;
  try {
    const doc: unknown = JSON.parse(text);
    return doc !== null && typeof doc === "object" && !Array.isArray(doc)
      ? (doc as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
