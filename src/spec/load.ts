import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { SpecError } from "./errors.js";
import { normaliseDocument } from "./normalise.js";
import type { SpecModel } from "./types.js";

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

function hasExternalRef(node: unknown): boolean {
  if (node === null || typeof node !== "object") return false;
  if (Array.isArray(node)) return node.some(hasExternalRef);
  for (const [key, value] of Object.entries(node)) {
    if (key === "$ref" && typeof value === "string" && !value.startsWith("#")) return true;
    if (hasExternalRef(value)) return true;
  }
  return false;
}

/**
 * Bundles refs to other files into one document. Redocly is loaded only when a spec needs it:
 * importing it costs more than the emulator's whole start-up budget.
 */
async function bundleExternalRefs(file: string): Promise<Record<string, unknown>> {
  const { bundle, createConfig } = await import("@redocly/openapi-core");
  const config = await createConfig({});
  const result = await bundle({ ref: file, config, dereference: false });
  const errors = result.problems.filter((p) => p.severity === "error");
  const first = errors[0];
  if (first) {
    throw new SpecError(first.message, file, first.location[0]?.pointer?.replace(/^#/, "") ?? "");
  }
  return result.bundle.parsed as Record<string, unknown>;
}

/** Reads, bundles and normalises one spec file. Throws SpecError with file and pointer. */
export async function loadSpec(path: string): Promise<SpecModel> {
  const file = resolve(path);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SpecError(code === "ENOENT" ? "no such file" : `cannot read: ${code ?? error}`, path);
  }
  let doc = parseSpecText(text, path);
  if (hasExternalRef(doc)) doc = await bundleExternalRefs(file);
  return normaliseDocument(doc, path);
}
