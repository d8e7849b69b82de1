import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { SpecError } from "./errors.js";
import { normaliseDocument } from "./normalise.js";
import { noteProblems } from "./note-check.js";
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

export interface LoadOptions {
  /**
   * Validate the `x-embedkit-*` notes (default true). `embedkit lint` turns it off to report every
   * bad note itself, not just the first.
   */
  checkNotes?: boolean;
}

/** Throws SpecError at the first bad `x-embedkit-*` note, saying how many there are. */
export function assertNotes(doc: unknown, source: string): void {
  const problems = noteProblems(doc);
  const first = problems[0];
  if (!first) return;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more: embedkit lint lists them)` : "";
  throw new SpecError(`${first.message}${more}`, source, first.pointer);
}

/**
 * Reads, bundles and normalises one spec file. Throws SpecError with file and pointer.
 * Notes are checked unless the text is one the build parsed (dist/spec-cache): the build checked
 * that very text (scripts/build-assets.mjs), and the check needs ajv, ~40 ms of start-up.
 */
export async function loadSpec(path: string, options: LoadOptions = {}): Promise<SpecModel> {
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
  const cached = readParsedCache(key);
  let doc = cached ?? (await import("./parse.js")).parseSpecText(text, path);
  if (hasExternalRef(doc)) doc = await bundleExternalRefs(file);
  if (!cached && options.checkNotes !== false) assertNotes(doc, path);
  return { ...normaliseDocument(doc, path), contentKey: key };
}
