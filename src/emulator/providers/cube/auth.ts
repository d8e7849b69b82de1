import { type AuthOutcome, secretMatcher } from "../../kit/index.js";
import type { CubeApiKey } from "./defaults.js";
import { cubeError } from "./errors.js";
import type { CubeTokens } from "./tokens.js";

const SCHEME = /^(Api-Key|Bearer|Embed-Token)[ \t]+(\S{1,4096})[ \t]*$/i;

/** An embed user, known by the claims of a valid embed token (`Authorization: Embed-Token <jwt>`). */
export interface EmbedPrincipal {
  embed: Record<string, unknown>;
}

export type CubePrincipal = CubeApiKey | EmbedPrincipal;

export const isEmbedPrincipal = (p: CubePrincipal): p is EmbedPrincipal => "embed" in p;

/**
 * Admin credentials: `Authorization: Api-Key <key>` (every Cube guide) or `Bearer <key>` (the
 * Platform API reference, https://docs.cube.dev/api-reference/embed/generate-an-embed-session).
 * An embed token (`Embed-Token <jwt>`, or a JWT as Bearer) identifies an embed user: it is accepted
 * where the operation allows embed tokens (the Embed SDK's calls), and refused with 403 on admin
 * endpoints. A token of a revoked session is refused with 401, as Cube documents for revoke.
 */
export function cubeAuthorizer(keys: readonly CubeApiKey[], tokens: CubeTokens) {
  const match = secretMatcher(keys.map((k) => ({ secret: k.key, value: k })));
  return async (header: string | undefined, acceptsEmbedToken: boolean): Promise<AuthOutcome> => {
    const parsed = header === undefined ? null : SCHEME.exec(header);
    if (!parsed) return { reply: cubeError(401, "Missing or malformed Authorization header") };
    const [, scheme = "", credential = ""] = parsed;
    const key = scheme.toLowerCase() === "embed-token" ? undefined : match(credential);
    if (key) {
      return key.admin ? { principal: key } : { reply: cubeError(403, "Admin privileges are required") };
    }
    if (credential.split(".").length !== 3) return { reply: cubeError(401, "Invalid or expired credential") };
    const seen = await tokens.introspect(credential);
    if (!seen.valid && !acceptsEmbedToken) return { reply: cubeError(401, "Invalid or expired credential") };
    if (!seen.valid) {
      const why = seen.reason === "revoked" ? "its session was revoked" : (seen.reason ?? "invalid");
      return { reply: cubeError(401, `Embed token refused: ${why}`) };
    }
    if (acceptsEmbedToken) return { principal: { embed: seen.claims ?? {} } satisfies EmbedPrincipal };
    return {
      reply: cubeError(403, "Embed tokens cannot call admin endpoints; admin privileges are required"),
    };
  };
}
