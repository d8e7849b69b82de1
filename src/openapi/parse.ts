import { parse as parseYaml } from "yaml";
import { SpecError } from "./errors.js";

/** Parses YAML or JSON text into a document object, with a clear error for anything else. */
export function parseSpecText(text: string, source: string): Record<string, unknown> {
  let doc: unknown;
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
