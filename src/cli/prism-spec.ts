import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseSpecText } from "../openapi/parse.js";

/**
 * Prism routes on a spec's paths and ignores the path of its server URL
 * (https://github.com/stoplightio/prism/issues/906), so Cube's `/v1/embed/...` under
 * `https://{tenant}.cubecloud.dev/api` would be served at `/v1/...`, not `/api/v1/...` as Cube Cloud
 * and `embedkit mock` serve it. Handing Prism a copy of the spec with the base path written into
 * every path makes one base URL work against all three: the vendor, the emulator and Prism.
 */
export function withBasePath(specFile: string, basePath: string): { file: string; remove: () => void } {
  const doc = parseSpecText(readFileSync(specFile, "utf8"), specFile);
  const paths = (doc.paths ?? {}) as Record<string, unknown>;
  doc.paths = Object.fromEntries(
    Object.entries(paths).map(([p, item]) => [p.startsWith("x-") ? p : basePath + p, item]),
  );
  doc.servers = [{ url: "/" }];
  const dir = mkdtempSync(join(tmpdir(), "embedkit-prism-"));
  const file = join(dir, "spec.json");
  writeFileSync(file, JSON.stringify(doc));
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
