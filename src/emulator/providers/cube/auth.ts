import { type AuthOutcome, secretMatcher } from "../../kit/index.js";
import type { CubeApiKey } from "./defaults.js";
import { cubeError } from "./errors.js";
import type { CubeTokens } from "./tokens.js";

const SCHEME = /^(Api-Key|Bearer|Embed-Token)[ \t]+(\S{1,4096})[ \t]*$/i;

/**
 * Admin credentials: `Authorization: Api-Key <key>` (every Cube guide) or `Bearer <key>` (the
 * Platform API reference, https://docs.cube.dev/api-reference/embed/generate-an-embed-session).
 * An embed token (`Embed-Token <jwt>`, or a JWT as Bearer) identifies an embed user, never an admin.
 */
export function cubeAuthorizer(keys: readonly CubeApiKey[], tokens: CubeTokens) {
  const match = secretMatcher(keys.map((k) => ({ secret: k.key, value: k })));
  return async (header: string | undefined): Promise<AuthOutcome> => {
    const parsed = header === undefined ? null : SCHEME.exec(header);
    if (!parsed) return { reply: cubeError(401, "Missing or malformed Authorization header") };
    const [, scheme = "", credential = ""] = parsed;
    const key = scheme.toLowerCase() === "embed-token" ? undefined : match(credential);
    if (key) {
      return key.admin ? { principal: key } : { reply: cubeError(403, "Admin privileges are required") };
    }
    if (credential.split(".").length === 3 && (await tokens.introspect(credential)).valid) {
      return {
        reply: cubeError(403, "Embed tokens cannot call admin endpoints; admin privileges are required"),
      };
    }
    return { reply: cubeError(401, "Invalid or expired credential") };
  };
}
