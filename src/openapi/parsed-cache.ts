import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "./package-root.js";

/**
 * Parsed specs, written at build time (scripts/build-assets.mjs) as JSON named by the SHA-256 of the
 * YAML text. Parsing Cube's YAML (and importing the YAML parser) costs more than half of the
 * emulator's start-up budget; JSON.parse of the same document takes about a millisecond. Keyed by
 * content, so an edited spec simply misses the cache and is parsed from YAML: never stale.
 */
export const PARSED_CACHE_DIR = join("dist", "spec-cache");

/** SHA-256 of the file's bytes (a Buffer hashes ~4× faster than the same text as a string). */
export function contentKey(text: string | Buffer): string {
  return createHash("sha256").update(text).digest("hex");
}

export function readParsedCache(key: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(join(packageRoot(), PARSED_CACHE_DIR, `${key}.json`), "utf8"));
  } catch {
    return undefined;
  }
}
