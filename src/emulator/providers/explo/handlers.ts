import type { operations } from "../../../../generated/explo.js";
import type { AuthOutcome, HandlerInput, JweTokens, Reply } from "../../kit/index.js";
import { clip, isoDurationSeconds, type JsonBody, secretMatcher, success } from "../../kit/index.js";
import type { ExploApiToken, ExploConfig, ExploStatuses } from "./defaults.js";
import { exploError } from "./errors.js";

type GenerateJwt = operations["generateJwt"];

/** 100,000 years: past any four-digit duration the spec allows, well inside what a date holds. */
const MAX_EXPIRATION_SECONDS = 100_000 * 365 * 86_400;
type Body = JsonBody<GenerateJwt>;

const SCHEME = /^Token[ \t]+(\S{1,4096})[ \t]*$/;

/** `Explo-Authorization: Token <token>` (https://docs.explo.co/api-reference/customer-api/generate-jwt). */
export function exploAuthorizer(tokens: readonly ExploApiToken[], statuses: ExploStatuses) {
  const match = secretMatcher(tokens.map((t) => ({ secret: t.token, value: t })));
  return (header: string | undefined): AuthOutcome => {
    const parsed = header === undefined ? null : SCHEME.exec(header);
    if (!parsed) {
      return {
        reply: exploError(
          401,
          "Missing Explo-Authorization header; send: Explo-Authorization: Token <token>",
        ),
      };
    }
    const token = match(parsed[1] ?? "");
    if (!token) return { reply: exploError(401, "Invalid API token") };
    if (token.readOnly) return { reply: exploError(statuses.readOnlyToken, "This API token is read-only") };
    return { principal: token };
  };
}

/** Explo's documented claims (https://docs.explo.co/embedding-documentation/embed-secrets/generating-jwt). */
function claimsOf(config: ExploConfig, body: Body, iat: number, lifetime: number): Record<string, unknown> {
  const claims: Record<string, unknown> = {
    cst: body.provided_id,
    dsh: body.embed_id,
    iat,
    exp: iat + lifetime,
  };
  if (body.rb_allowed_features != null) claims.rbc = body.rb_allowed_features;
  if (body.disable_editable_section_editing != null) claims.des = body.disable_editable_section_editing;
  if (typeof body.embed_origin === "string") {
    // "the trailing '/' will be required" (x-embedkit-issuer-slash)
    const append = config.issuerSlash === "append" && !body.embed_origin.endsWith("/");
    claims.iss = append ? `${body.embed_origin}/` : body.embed_origin;
  }
  return claims;
}

export function exploHandlers(
  config: ExploConfig,
  statuses: ExploStatuses,
  tokens: JweTokens,
  now: () => number,
) {
  const generateJwt = async (input: HandlerInput<Body>): Promise<Reply> => {
    const { body } = input;
    const kid = body.key_id ?? config.defaultKeyId;
    if (!tokens.has(kid)) return exploError(statuses.unknownKeyId, `Unknown key_id: ${clip(kid, 100)}`);
    const iat = Math.floor(now() / 1000);
    let lifetime = config.defaultExpirationSeconds;
    if (typeof body.expiration === "string") {
      const seconds = isoDurationSeconds(body.expiration, iat);
      const got = clip(body.expiration, 100);
      if (seconds === undefined || seconds <= 0) {
        return exploError(400, `expiration must be an ISO 8601 duration such as PT1H, got: ${got}`);
      }
      // The spec's pattern keeps every number to four digits; this is the last guard, should the
      // pattern be loosened: an `exp` past what a date can hold was minted as `exp: null`.
      if (!Number.isFinite(seconds) || seconds > MAX_EXPIRATION_SECONDS) {
        return exploError(400, `expiration is too long: its end is not a date, got: ${got}`);
      }
      lifetime = seconds;
    }
    const jwt = await tokens.mint(kid, claimsOf(config, body, iat, lifetime));
    return success<GenerateJwt, 200>(200, { success: 1, jwt });
  };
  return { generateJwt };
}
