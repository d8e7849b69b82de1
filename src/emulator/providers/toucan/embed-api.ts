import {
  browserAsset,
  type EmbedRequest,
  type EmbedRoute,
  type EmuResponse,
  type IntrospectResult,
  jsonReply,
  scriptAsset,
} from "../../kit/index.js";
import type { ToucanApiKey } from "./defaults.js";

type Introspect = (token: string) => Promise<IntrospectResult>;

/** What each `/api/embed/...` resource needs from the token's permissions (providers.md §3.2). */
const RESOURCES = {
  dashboards: { model: "dashboard", permission: "can_view" },
  charts: { model: "chart", permission: "can_view" },
  ai: { model: "ai", permission: "can_query" },
} as const;

type Resource = keyof typeof RESOURCES;

/**
 * CORS as the web component needs it: the embedding page calls `server-url` cross-origin with the
 * token in Authorization. The origin is echoed on every answer (refusals included), so the
 * component can show why it was refused; whether the origin may use the token is decided per API
 * key (Authorized Origins), not by CORS. GUESS: Toucan does not publish its CORS.
 */
function cors(origin: string | undefined): Record<string, string> {
  if (!origin) return {};
  return {
    "access-control-allow-origin": origin,
    "access-control-allow-headers": "authorization, content-type",
    "access-control-allow-methods": "GET, OPTIONS",
    "access-control-max-age": "600",
    vary: "Origin",
  };
}

/** `http://localhost:*` matches any port of that host; other entries match the origin exactly. */
export function originAllowed(allowed: readonly string[], origin: string): boolean {
  return allowed.some((entry) =>
    entry.endsWith(":*") ? origin.startsWith(entry.slice(0, -1)) && /:\d+$/.test(origin) : entry === origin,
  );
}

const refuse = (status: number, code: string, message: string, origin?: string) =>
  jsonReply(status, { code, message }, cors(origin));

const BEARER = /^Bearer[ \t]+(\S{1,8192})[ \t]*$/i;

function can(permissions: unknown, resource: Resource): boolean {
  const { model, permission } = RESOURCES[resource];
  const granted = (permissions as Record<string, Record<string, unknown> | undefined> | undefined)?.[model];
  return granted?.[permission] === true;
}

interface Target {
  resource: Resource;
  id: string;
}

async function serve(
  req: EmbedRequest,
  target: Target,
  keys: readonly ToucanApiKey[],
  introspect: Introspect,
): Promise<EmuResponse> {
  const origin = req.headers.origin;
  if (req.method === "OPTIONS") return { status: 204, headers: cors(origin), body: undefined };
  const token = BEARER.exec(req.headers.authorization ?? "")?.[1];
  if (!token)
    return refuse(401, "MISSING_TOKEN", "Send the embed token as Authorization: Bearer <token>", origin);
  const seen = await introspect(token);
  if (!seen.valid) {
    return seen.reason === "expired"
      ? refuse(401, "TOKEN_EXPIRED", "The embed token has expired; mint a new one", origin)
      : refuse(401, "INVALID_TOKEN", `The embed token is not valid (${seen.reason ?? "invalid"})`, origin);
  }
  const key = keys.find((k) => k.keyId === seen.header?.kid);
  if (!key || key.disabled)
    return refuse(403, "API_KEY_DISABLED", "The API key of this token is disabled", origin);
  // "Toucan AI will reject requests and tokens used on domains not listed in this section."
  // https://docs.toucanai.cloud/embed/authentication/how-to/authentication-and-tokens
  if (origin && !originAllowed(key.authorizedOrigins ?? [], origin)) {
    const message = `Origin ${origin.slice(0, 200)} is not an Authorized Origin of this API key`;
    return refuse(403, "ORIGIN_NOT_ALLOWED", message, origin);
  }
  const { resource: kind, id } = target;
  const claims = seen.claims ?? {};
  if (!can(claims.permissions, kind)) {
    const { model, permission } = RESOURCES[kind];
    return refuse(403, "PERMISSION_DENIED", `The token does not grant ${model}.${permission}`, origin);
  }
  const item = kind === "ai" ? { kind: "ai-assistant" } : { kind: RESOURCES[kind].model, id };
  const user = { distinctId: claims.sub, role: claims.role, attributes: claims.attributes };
  return jsonReply(
    200,
    { ...item, user, permissions: claims.permissions, org: claims.org, exp: claims.exp },
    cors(origin),
  );
}

/**
 * The consuming half served by `embedkit mock toucan`: the web components' script at /embed/embed.js
 * and the API they call under `server-url` (/api) with the token. The API's paths are ours: Toucan
 * does not publish them (providers.md §3.5).
 */
export function toucanEmbedRoutes(keys: readonly ToucanApiKey[], introspect: Introspect): EmbedRoute[] {
  return [
    {
      id: "embed:embed.js",
      methods: ["GET"],
      pattern: /^\/embed\/embed\.js$/,
      statuses: [200],
      handle: () => scriptAsset(browserAsset("toucan", "embed.js")),
    },
    {
      id: "api:embed",
      methods: ["GET", "OPTIONS"],
      pattern: /^\/api\/embed\/(?:(dashboards|charts)\/([A-Za-z0-9_-]{1,200})|(ai)\/assistant)$/,
      statuses: [200, 401, 403],
      handle: (req) => {
        const [collection, id = ""] = req.params;
        const resource: Resource = collection === "dashboards" || collection === "charts" ? collection : "ai";
        return serve(req, { resource, id }, keys, introspect);
      },
    },
  ];
}
