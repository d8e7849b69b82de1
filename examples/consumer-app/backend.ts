import { createServer, type Server } from "node:http";
import { createCubeClient, createExploClient, createToucanClient } from "embedkit";

/**
 * A customer's backend in ~100 lines: it holds the vendor credentials, mints one embed credential
 * per page view through embedkit's typed clients, and serves a page that embeds all three vendors.
 * Point the `api` URLs at the vendors (or at `embedkit mock`) and the `embed` URLs at where their
 * iframes and scripts are served: the same code runs against both.
 */
export interface BackendOptions {
  cube: { api: string; embed: string; apiKey: string; deploymentId: number; dashboard: string };
  explo: { api: string; embed: string; token: string; embedId: string };
  toucan: { api: string; embed: string; apiKey: string; dashboard: string };
}

export interface Backend {
  origin: string;
  close(): Promise<void>;
}

const html = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The signed-in user of this request; a real app reads it from its own session. */
const USER = { id: "ada@example.com", customer: "customer_1", city: "Paris" };

async function mintAll(options: BackendOptions, origin: string) {
  const cube = createCubeClient({ baseUrl: options.cube.api, apiKey: options.cube.apiKey });
  const explo = createExploClient({ baseUrl: options.explo.api, token: options.explo.token });
  const toucan = createToucanClient({ baseUrl: options.toucan.api, apiKey: options.toucan.apiKey });
  const [session, jwt, token] = await Promise.all([
    cube.POST("/v1/embed/generate-session", {
      body: {
        deploymentId: options.cube.deploymentId,
        externalId: USER.id,
        userAttributes: [{ name: "city", value: USER.city }],
      },
    }),
    explo.POST("/api/generate_jwt/", {
      // The token is valid only on this app's origin (Explo wants the trailing slash).
      body: { provided_id: USER.customer, embed_id: options.explo.embedId, embed_origin: `${origin}/` },
    }),
    toucan.POST("/embed/generate-token", {
      body: { user: { distinctId: USER.id, role: "explorer", attributes: { city: USER.city } } },
    }),
  ]);
  if (!session.data || !jwt.data || !token.data) {
    throw new Error(`minting failed: ${JSON.stringify([session.error, jwt.error, token.error])}`);
  }
  return { sessionId: session.data.sessionId, jwt: jwt.data.jwt, token: token.data.token };
}

function page(options: BackendOptions, minted: Awaited<ReturnType<typeof mintAll>>): string {
  const { cube, explo, toucan } = options;
  const cubeUrl = `${cube.embed}/embed/dashboard/${encodeURIComponent(cube.dashboard)}?session=${minted.sessionId}`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>Analytics</title>
<script src="${html(explo.embed)}/bundle.js"></script>
<script type="module" src="${html(toucan.embed)}/embed/embed.js"></script></head><body>
<h2>Cube</h2>
<iframe id="cube" src="${html(cubeUrl)}" width="800" height="360"></iframe>
<pre id="cube-events"></pre>
<h2>Explo</h2>
<explo-dashboard dash-jwt="${html(minted.jwt)}" environment="production"></explo-dashboard>
<h2>Toucan</h2>
<tc-dashboard dashboard-id="${html(toucan.dashboard)}" auth-token="${html(minted.token)}" server-url="${html(toucan.api)}/api"></tc-dashboard>
<script>
  // Cube's iframe reports over postMessage; trust only Cube's origin and its envelope.
  addEventListener("message", (e) => {
    if (e.origin !== ${JSON.stringify(cube.embed)} || e.data?.source !== "cube-embed") return;
    document.getElementById("cube-events").textContent += e.data.type + "\\n";
  });
</script></body></html>`;
}

export async function startBackend(options: BackendOptions, port = 0): Promise<Backend> {
  let origin = "";
  const server: Server = createServer((req, res) => {
    if (req.url !== "/") {
      res.writeHead(404).end();
      return;
    }
    mintAll(options, origin).then(
      (minted) =>
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page(options, minted)),
      (error: Error) => res.writeHead(502, { "content-type": "text/plain" }).end(error.message),
    );
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === "object" && address ? address.port : port}`;
  return {
    origin,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
