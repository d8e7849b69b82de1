import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { SpecError } from "./errors.js";
import {
  checkDocumentSize,
  checkExpansion,
  DEFAULT_SPEC_LIMITS,
  prescanAliases,
  type SpecLimits,
} from "./limits.js";
import { normaliseDocument } from "./normalise.js";
import { noteProblems } from "./note-check.js";
import { contentKey, readParsedCache } from "./parsed-cache.js";
import { checkRefCycles, refsOf, remoteFetch } from "./refs.js";
import type { SpecModel } from "./types.js";

/**
 * Bundles refs to other files into one document. Redocly is loaded only when a spec needs it:
 * importing it costs more than the emulator's whole start-up budget. Its resolver fetches remote
 * refs through `remoteFetch`, which refuses them unless allowed and bounds them in time and size.
 */
async function bundleExternalRefs(file: string, limits: SpecLimits): Promise<Record<string, unknown>> {
  const { BaseResolver, bundle, createConfig } = await import("@redocly/openapi-core");
  const config = await createConfig({});
  const externalRefResolver = new BaseResolver({ http: { headers: [], customFetch: remoteFetch(limits) } });
  let result: Awaited<ReturnType<typeof bundle>>;
  try {
    result = await bundle({ ref: file, config, dereference: false, externalRefResolver });
  } catch (error) {
    throw new SpecError(`cannot bundle the spec: ${(error as Error).message}`, file);
  }
  const errors = result.problems.filter((p) => p.severity === "error");
  const first = errors[0];
  if (first) {
    const message = first.message.replace(/^Can't resolve \$ref: (?=remote \$ref)/, "");
    throw new SpecError(message, file, first.location[0]?.pointer?.replace(/^#/, "") ?? "");
  }
  return result.bundle.parsed as Record<string, unknown>;
}

export interface LoadOptions extends Partial<SpecLimits> {
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

async function readSpecText(file: string, path: string, limits: SpecLimits): Promise<string> {
  try {
    checkDocumentSize((await stat(file)).size, path, limits);
    return await readFile(file, "utf8");
  } catch (error) {
    if (error instanceof SpecError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new SpecError(code === "ENOENT" ? "no such file" : `cannot read: ${code ?? error}`, path);
  }
}

/**
 * Reads, bundles and normalises one spec file. Throws SpecError with file and pointer, also for a
 * document too big, an alias bomb, a circular `$ref` or a remote `$ref` that is not allowed.
 * Notes are checked unless the text is one the build parsed (dist/spec-cache): the build checked
 * that very text (scripts/build-assets.mjs), and the check needs ajv, ~40 ms of start-up.
 */
export async function loadSpec(path: string, options: LoadOptions = {}): Promise<SpecModel> {
  const { checkNotes, ...given } = options;
  const limits: SpecLimits = { ...DEFAULT_SPEC_LIMITS };
  for (const [k, v] of Object.entries(given)) if (v !== undefined) Object.assign(limits, { [k]: v });
  const file = resolve(path);
  const text = await readSpecText(file, path, limits);
  // The YAML parser is loaded only on a cache miss: importing it alone costs ~80 ms of start-up.
  const key = contentKey(text);
  let doc = readParsedCache(key);
  if (!doc) {
    const { parseSpecText } = await import("./parse.js");
    const parse = (t: string, source: string) => {
      checkDocumentSize(Buffer.byteLength(t), source, limits);
      prescanAliases(t, source, limits);
      const parsed = parseSpecText(t, source);
      checkExpansion(parsed, source, limits);
      return parsed;
    };
    doc = parse(text, path);
    await checkRefCycles(doc, file, path, parse);
    if (refsOf(doc).some(({ ref }) => !ref.startsWith("#"))) doc = await bundleExternalRefs(file, limits);
    if (checkNotes !== false) assertNotes(doc, path);
  }
  return { ...normaliseDocument(doc, path), contentKey: key };
}
