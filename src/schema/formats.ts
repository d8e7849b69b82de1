import type { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

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

export function registerFormats(ajv: Ajv2020): void {
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  ajv.addFormat("url", { type: "string", validate: isAbsoluteHttpUrl });
}
