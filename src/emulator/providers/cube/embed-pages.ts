import {
  browserAsset,
  type EmbedRequest,
  type EmbedRoute,
  escapeHtml,
  htmlPage,
  jsonForScript,
} from "../../kit/index.js";

type Surface = "dashboard" | "chat" | "app";

/** What the page script needs; the session itself is read from the URL by the script, as Cube's does. */
interface PageConfig {
  surface: Surface;
  /** The query parameter this URL form reads the session from. */
  param: "session" | "sessionId";
  publicId?: string;
  /** From `/embed/d/{deploymentId}/…`; the session must have been minted for it. */
  deploymentId?: number;
}

/**
 * The iframe surfaces at Cube's documented URL forms (providers.md §1.9): the dashboard and creator
 * app read `?session=`, the standalone chat reads `?sessionId=`, the `/embed/d/{id}/…` forms of the
 * embedding demo read `?session=`. Sources: signed.mdx, analytics-chat.mdx, creator-mode.mdx in
 * cube-js/cube; cubedevinc/cube-embedding-demo src/App.tsx.
 */
const FORMS: { id: string; pattern: RegExp; page: (params: string[]) => PageConfig }[] = [
  {
    id: "embed:dashboard",
    pattern: /^\/embed\/dashboard\/([^/]+)\/?$/,
    page: ([publicId]) => ({ surface: "dashboard", param: "session", publicId: publicId ?? "" }),
  },
  { id: "embed:chat", pattern: /^\/embed\/chat\/?$/, page: () => ({ surface: "chat", param: "sessionId" }) },
  {
    id: "embed:d:app",
    pattern: /^\/embed\/d\/(\d{1,12})\/app\/?$/,
    page: ([id]) => ({ surface: "app", param: "session", deploymentId: Number(id) }),
  },
  {
    id: "embed:d:chat",
    pattern: /^\/embed\/d\/(\d{1,12})\/chat\/?$/,
    page: ([id]) => ({ surface: "chat", param: "session", deploymentId: Number(id) }),
  },
  {
    id: "embed:d:dashboard",
    pattern: /^\/embed\/d\/(\d{1,12})\/dashboard\/([^/]+)\/?$/,
    page: ([id, publicId]) => ({
      surface: "dashboard",
      param: "session",
      deploymentId: Number(id),
      publicId: publicId ?? "",
    }),
  },
];

function renderPage(config: PageConfig): string {
  const title = `Cube ${config.surface}${config.publicId ? ` ${config.publicId}` : ""} (embedkit)`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:0;padding:16px;color:#1b1b2f;background:#fafaff}
h1{font-size:18px;margin:0 0 8px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 12px;margin:0}
dt{font-weight:600}dd{margin:0;word-break:break-word}
[role=alert]{border:2px solid #c0392b;background:#fdecea;padding:12px;border-radius:6px}
.badge{display:inline-block;padding:2px 8px;border-radius:10px;color:#fff;background:var(--primary,#7a77ff)}
</style>
</head>
<body>
<main id="embedkit-root" aria-live="polite"><p>Signing in…</p></main>
<script type="application/json" id="embedkit-page">${jsonForScript(config)}</script>
<script>${browserAsset("cube", "embed-page.js")}</script>
</body>
</html>`;
}

/** The consuming half served by `embedkit mock cube`: one route per documented URL form. */
export function cubeEmbedRoutes(): EmbedRoute[] {
  return FORMS.map((form) => ({
    id: form.id,
    methods: ["GET"],
    pattern: form.pattern,
    statuses: [200],
    handle: (req: EmbedRequest) => htmlPage(200, renderPage(form.page(req.params))),
  }));
}
