import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { SpecError } from "./errors.js";
import { normaliseDocument } from "./normalise.js";
import { contentKey, readParsedCache } from "./parsed-cache.js";
import type { SpecModel } from "./types.js";

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
  // The YAML parser is loaded only on a cache miss: importing it alone costs ~80 ms of start-up.
  const key = contentKey(text);
  let doc = readParsedCache(key) ?? (await import("./parse.js")).parseSpecText(text, path);
  if (hasExternalRef(doc)) doc = await bundleExternalRefs(file);
  return { ...normaliseDocument(doc, path), contentKey: key };
}
