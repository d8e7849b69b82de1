import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../../openapi/index.js";
import type { EmuResponse } from "./types.js";

/**
 * What a provider's consuming half answers with: pages, scripts and JSON, each with the headers a
 * browser needs. Pages are framed by any origin on purpose: being framed is their job.
 */

const NO_STORE = { "cache-control": "no-store" };

export function htmlPage(status: number, html: string): EmuResponse {
  return {
    status,
    headers: { "content-type": "text/html; charset=utf-8", ...NO_STORE, "x-content-type-options": "nosniff" },
    body: html,
  };
}

export function scriptAsset(source: string): EmuResponse {
  return {
    status: 200,
    headers: {
      "content-type": "text/javascript; charset=utf-8",
      ...NO_STORE,
      "x-content-type-options": "nosniff",
      // Loaded by the embedding page from the provider's origin, as from a CDN.
      "access-control-allow-origin": "*",
      "cross-origin-resource-policy": "cross-origin",
    },
    body: source,
  };
}

export function jsonReply(status: number, body: unknown, headers?: Record<string, string>): EmuResponse {
  return {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...NO_STORE, ...headers },
    body: JSON.stringify(body),
  };
}

/** `<`, `>` and `&` escaped for text and attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** JSON that is safe inside `<script type="application/json">`: no `</script>` can close it early. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** The origin of a Referer (browsers send only the origin cross-site), or undefined. */
export function refererOrigin(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    const url = new URL(referer);
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

const assetCache = new Map<string, string>();

/**
 * A provider's browser asset (src/emulator/providers/<id>/browser/<file>): plain JavaScript that
 * runs in the embedding page or the iframe. Read from the source tree when present (tests, tsx),
 * else from its copy in dist/ (the installed CLI); once per process.
 */
export function browserAsset(providerId: string, file: string): string {
  const key = `${providerId}/${file}`;
  const cached = assetCache.get(key);
  if (cached !== undefined) return cached;
  const rel = join("src", "emulator", "providers", providerId, "browser", file);
  const root = packageRoot();
  const path = [join(root, rel), join(root, "dist", rel)].find((p) => existsSync(p));
  if (!path) throw new Error(`browser asset missing: ${rel} (run npm run build)`);
  const text = readFileSync(path, "utf8");
  assetCache.set(key, text);
  return text;
}
