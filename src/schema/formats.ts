import type { Format } from "ajv";
import type { Ajv2020 } from "ajv/dist/2020.js";
import { fullFormats } from "ajv-formats/dist/formats.js";

/**
 * `url` is not a JSON Schema format, but Cube's spec uses it for `userProfile.picture` ("must be an
 * absolute http:// or https:// URL"). It is registered rather than switching format checks off.
 */
export function isAbsoluteHttpUrl(value: string): boolean {
  if (!/^https?:\/\/[^\s/?#]/i.test(value)) return false;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

/**
 * Every format the engine knows: ajv-formats' full set plus `url`. One exported object, because
 * validators precompiled at build time (see precompile.ts) refer to their formats through it.
 */
export const FORMATS: Record<string, Format> = {
  ...(fullFormats as Record<string, Format>),
  url: { type: "string", validate: isAbsoluteHttpUrl },
};

export function registerFormats(ajv: Ajv2020): void {
  for (const [name, format] of Object.entries(FORMATS)) ajv.addFormat(name, format);
}
