import type { operations } from "../../../../generated/toucan.js";
import type { AuthOutcome, HandlerInput, Reply } from "../../kit/index.js";
import { type JsonBody, secretMatcher, success } from "../../kit/index.js";
import type { ToucanApiKey } from "./defaults.js";
import { toucanError } from "./errors.js";
import type { ToucanTokens } from "./tokens.js";

type GenerateToken = operations["generateToken"];
type Body = JsonBody<GenerateToken>;

/** `x-api-key` (https://docs.toucanai.cloud/embed/authentication/how-to/generate-a-token-via-api). */
export function toucanAuthorizer(keys: readonly ToucanApiKey[]) {
  const match = secretMatcher(keys.map((k) => ({ secret: k.key, value: k })));
  return (header: string | undefined): AuthOutcome => {
    if (!header) return { reply: toucanError(401, "Missing x-api-key header") };
    const key = match(header.trim());
    if (!key) return { reply: toucanError(401, "Invalid API key") };
    if (key.disabled) return { reply: toucanError(403, "This API key is disabled") };
    return { principal: key };
  };
}

/** `3600` → "1h", `90` → "90s": the vercel/ms style Toucan shows. */
export function humanTtl(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400}d`;
  if (seconds % 3_600 === 0) return `${seconds / 3_600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

export function toucanHandlers(
  tokens: ToucanTokens,
  now: () => number,
  ttlSeconds: number,
  defaultPermissions: Record<string, unknown>,
) {
  const generateToken = async (input: HandlerInput<Body, ToucanApiKey>): Promise<Reply> => {
    const { user, permissions } = input.body;
    const iat = Math.floor(now() / 1000);
    const claims = {
      sub: user.distinctId,
      role: user.role,
      attributes: user.attributes,
      permissions: permissions ?? defaultPermissions,
      org: input.principal.org,
      iat,
      exp: iat + ttlSeconds,
    };
    const token = await tokens.mint(input.principal.keyId, claims);
    return success<GenerateToken, 200>(200, { token, expiresIn: humanTtl(ttlSeconds) });
  };
  return { generateToken };
}
