import { existsSync } from "node:fs";
import { join, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { packageRoot, type SpecModel } from "../../openapi/index.js";

/**
 * The request validators `npm run build` generated ahead of time for this spec
 * (scripts/precompile-validators.mjs), keyed by schema pointer; `{}` when there are none.
 * Used only when this code itself runs from dist/: they were built in the same build, so they
 * cannot be older than the engine. From src/ (tests, tsx) validators are compiled at start-up.
 */
export async function loadPrecompiled(spec: SpecModel): Promise<Record<string, unknown>> {
  const fromDist = fileURLToPath(import.meta.url).includes(`${sep}dist${sep}`);
  if (!fromDist || !spec.contentKey) return {};
  const file = join(packageRoot(), "dist", "validators", `${spec.contentKey}.mjs`);
  if (!existsSync(file)) return {};
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown> & { POINTERS: string[] };
  return Object.fromEntries(mod.POINTERS.map((pointer, i) => [pointer, mod[`v${i}`]]));
}
