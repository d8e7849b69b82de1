import {
  browserAsset,
  type EmbedRequest,
  type EmbedRoute,
  escapeHtml,
  htmlPage,
  type IntrospectResult,
  refererOrigin,
  scriptAsset,
} from "../../kit/index.js";

type Introspect = (token: string) => Promise<IntrospectResult>;

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:0;padding:16px;color:#14213d;background:#f7f9fc}
h1{font-size:18px;margin:0 0 8px}dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 12px;margin:0}
dt{font-weight:600}dd{margin:0;word-break:break-word}
[role=alert]{border:2px solid #c0392b;background:#fdecea;padding:12px;border-radius:6px}`;

function page(status: number, title: string, body: string): ReturnType<typeof htmlPage> {
  return htmlPage(
    status,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`,
  );
}

function refusal(status: number, code: string, message: string) {
  return page(
    status,
    "Explo dashboard (embedkit): error",
    `<div role="alert" data-embedkit-error="${escapeHtml(code)}"><strong>This dashboard cannot be shown.</strong> <span>${escapeHtml(message)}</span></div>`,
  );
}

const FEATURES = (rbc: unknown) =>
  rbc === undefined || (Array.isArray(rbc) && rbc.includes("*"))
    ? "all (rbc absent or [*])"
    : Array.isArray(rbc) && rbc.length === 0
      ? "none (read-only)"
      : JSON.stringify(rbc);

function placeholder(claims: Record<string, unknown>, environment: string) {
  const rows: [string, unknown][] = [
    ["customer", claims.cst],
    ["dashboard", claims.dsh],
    ["environment", environment],
    ["report builder features", FEATURES(claims.rbc)],
    ["editable sections locked", claims.des ?? false],
    ["embed origin", claims.iss ?? "any (no embed_origin)"],
    ["expires", typeof claims.exp === "number" ? new Date(claims.exp * 1000).toISOString() : "—"],
  ];
  const list = rows
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd data-field="${escapeHtml(k)}">${escapeHtml(v)}</dd>`)
    .join("");
  return page(
    200,
    `Explo dashboard ${String(claims.dsh)} (embedkit)`,
    `<h1 data-embedkit-ready="explo">Explo dashboard ${escapeHtml(claims.dsh)}</h1><dl>${list}</dl>`,
  );
}

/** What the page says for a token that does not decrypt or has expired. */
function whyRefused(r: IntrospectResult): string {
  switch (r.reason) {
    case "wrong-key":
      return `No embed secret has the key id this token names (kid "${String(r.header?.kid)}").`;
    case "expired":
      return `The embed token expired at ${new Date(Number(r.claims?.exp) * 1000).toISOString()}.`;
    case "tampered":
      return "The embed token could not be decrypted with the embed secret its kid names.";
    default:
      return "The embed token is not a compact JWE (dash-jwt must be the jwt from generate_jwt).";
  }
}

/**
 * The iframe Explo serves for a JWT, `/iframe/<jwt>/<environment>`
 * (https://docs.explo.co/embedding-documentation/dashboard/option-2-iframe): the token is decrypted
 * with the embed secret its `kid` names, `exp` is checked against the emulator's clock, and `iss`
 * (the embed_origin) against the origin of the page that embeds the iframe, read from the Referer
 * the browser sends. Where Explo does this is not published (providers.md §2.5); GUESS.
 */
async function iframe(req: EmbedRequest, introspect: Introspect) {
  const [jwt = "", environment = ""] = req.params;
  const seen = await introspect(jwt);
  if (!seen.valid) return refusal(401, seen.reason ?? "malformed", whyRefused(seen));
  const claims = seen.claims ?? {};
  if (typeof claims.iss === "string") {
    const origin = refererOrigin(req.headers.referer);
    if (origin === undefined || `${origin}/` !== claims.iss) {
      const from = origin ? `${origin}/` : "a page that sent no Referer";
      return refusal(
        403,
        "origin",
        `This token is valid only on ${claims.iss}; it was embedded from ${from}.`,
      );
    }
  }
  return placeholder(claims, environment);
}

/** The consuming half served by `embedkit mock explo`: the iframe, and the web component's bundle. */
export function exploEmbedRoutes(introspect: Introspect): EmbedRoute[] {
  return [
    {
      id: "embed:iframe",
      methods: ["GET"],
      pattern: /^\/iframe\/([^/]+)\/([^/]+)\/?$/,
      statuses: [200, 401, 403],
      handle: (req) => iframe(req, introspect),
    },
    {
      id: "embed:iframe-legacy",
      methods: ["GET"],
      pattern: /^\/iframe\/([^/]+)\/([^/]+)\/([^/]+)\/?$/,
      statuses: [401],
      handle: () =>
        refusal(
          401,
          "legacy",
          "Customer-token embeds (/iframe/<dashboard>/<customer_token>/<env>) are not emulated; use a JWT from generate_jwt.",
        ),
    },
    {
      id: "embed:bundle",
      methods: ["GET"],
      pattern: /^\/bundle\.js$/,
      statuses: [200],
      handle: () => scriptAsset(browserAsset("explo", "bundle.js")),
    },
  ];
}
