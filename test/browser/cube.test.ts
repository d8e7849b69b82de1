import type { Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type CubeClient, createCubeClient } from "../../src/clients/index.js";
import { createEmulator, type Emulator } from "../../src/emulator/index.js";
import { type LaunchedChromium, launchChromium } from "./chromium.js";
import { advanceClock, firstEvent, type HostApp, openPage, screenshot, startHost } from "./host.js";

// One browser, one emulator and one host app for the whole file: each case opens its own page.
let chromium: LaunchedChromium;
let emu: Emulator;
let host: HostApp;
let admin: CubeClient;
const pages: Page[] = [];

beforeAll(async () => {
  [chromium, emu, host] = await Promise.all([
    launchChromium(),
    createEmulator({ provider: "cube" }),
    startHost(),
  ]);
  await emu.listen(0);
  admin = createCubeClient({ baseUrl: emu.url ?? "", apiKey: "ek_cube_admin_dev" });
});

afterAll(async () => {
  await chromium?.close();
  await Promise.all([emu?.close(), host?.close()]);
});

beforeEach(async () => {
  await Promise.all(pages.splice(0).map((p) => p.close()));
  emu.reset();
});

const RICH_SESSION = {
  deploymentId: 32,
  externalId: "Ada@Example.com",
  email: "ada@example.com",
  groups: ["analysts"],
  embedTenantName: "acme-corp",
  userAttributes: [{ name: "city", value: "Paris" }],
  settings: { locale: "fr-FR", showAiWidgets: false },
  embedTheme: { primaryColor: "#ff6600", font: "Inter" },
};

async function mint(body: Record<string, unknown> = RICH_SESSION): Promise<string> {
  const { data, error } = await admin.POST("/v1/embed/generate-session", {
    body: body as { deploymentId: number },
  });
  if (!data) throw new Error(`generate-session failed: ${JSON.stringify(error)}`);
  return data.sessionId;
}

/** The host page embeds `path` (on the emulator's origin) in an iframe and waits for Cube's first event. */
async function embed(path: string) {
  const page = await openPage(
    chromium.context,
    host.page(`<iframe id="cube" src="${emu.origin}${path}" width="900" height="600"></iframe>`),
  );
  pages.push(page);
  const event = await firstEvent(page, "cube-embed");
  const frame = page.frameLocator("#cube");
  return { page, event, frame };
}

describe("Cube embed iframe in Chromium", () => {
  const surfaces = [
    ["dashboard", (s: string) => `/embed/dashboard/sales-overview?session=${s}`, "sales-overview"],
    ["chat", (s: string) => `/embed/chat?sessionId=${s}`, undefined],
    ["app", (s: string) => `/embed/d/32/app?session=${s}`, undefined],
    ["chat", (s: string) => `/embed/d/32/chat?session=${s}`, undefined],
    ["dashboard", (s: string) => `/embed/d/32/dashboard/sales-overview?session=${s}`, "sales-overview"],
  ] as const;

  it.each(surfaces)("%s at %s: ready event and the placeholder", async (surface, url, publicId) => {
    const { event, frame, page } = await embed(url(await mint()));
    expect(event.origin).toBe(emu.origin);
    expect(event.data).toMatchObject({
      source: "cube-embed",
      direction: "event",
      type: "cube:event:ready",
      surface,
      payload: { embedTenant: "acme-corp", deploymentId: 32, mode: "signed", surface },
    });
    expect((event.data.payload as Record<string, unknown>).publicId).toBe(publicId);
    const field = (name: string) => frame.locator(`[data-field="${name}"]`);
    await expect.poll(() => field("external id").textContent()).toBe("ada@example.com");
    expect(await field("groups").textContent()).toBe("analysts");
    expect(await field("attributes").textContent()).toBe("city=Paris");
    expect(await field("settings").textContent()).toContain('"locale":"fr-FR"');
    expect(await field("theme").textContent()).toContain("#ff6600");
    if (publicId) await screenshot(page, `cube-${surface}`);
  });

  const refusals: [string, () => Promise<string>, string, RegExp][] = [
    [
      "an unknown session",
      async () => "/embed/dashboard/sales-overview?session=0123456789abcdef0123456789abcdef",
      "SessionExchangeError",
      /not found|expired/i,
    ],
    [
      "a used session",
      async () => {
        const s = await mint();
        await admin.POST("/v1/embed/session/token", { body: { sessionId: s } });
        return `/embed/dashboard/sales-overview?session=${s}`;
      },
      "SessionExchangeError",
      /already exchanged/,
    ],
    [
      "an expired session",
      async () => {
        const s = await mint();
        await advanceClock(emu, 301);
        return `/embed/chat?sessionId=${s}`;
      },
      "SessionExchangeError",
      /expired/,
    ],
    [
      "a revoked session",
      async () => {
        const s = await mint();
        await admin.POST("/v1/embed/session/revoke", { body: { sessionId: s } });
        return `/embed/d/32/app?session=${s}`;
      },
      "SessionExchangeError",
      /revoked/,
    ],
    [
      "?session= on the chat",
      async () => `/embed/chat?session=${await mint()}`,
      "MissingSessionError",
      /\?sessionId=.*does not read \?session=/,
    ],
    [
      "?sessionId= on a dashboard",
      async () => `/embed/dashboard/sales-overview?sessionId=${await mint()}`,
      "MissingSessionError",
      /\?session=/,
    ],
    [
      "an unknown dashboard",
      async () => `/embed/dashboard/nope?session=${await mint()}`,
      "DashboardNotFoundError",
      /not found/i,
    ],
    [
      "a dashboard without signed embedding",
      async () => `/embed/dashboard/finance-internal?session=${await mint()}`,
      "EmbedNotAllowedError",
      /not allowed/,
    ],
    [
      "a session for another deployment",
      async () => `/embed/d/33/app?session=${await mint()}`,
      "DeploymentMismatchError",
      /deployment 32/,
    ],
  ];

  it.each(refusals)("%s: error event and an in-page alert", async (_what, url, name, message) => {
    const { event, frame } = await embed(await url());
    expect(event.data).toMatchObject({
      source: "cube-embed",
      type: "cube:event:error",
      payload: { name, fatal: true },
    });
    expect(String((event.data.payload as Record<string, unknown>).message)).toMatch(message);
    await expect.poll(() => frame.locator("[role=alert]").textContent()).toMatch(message);
  });

  it("a reload with the same session fails, as on Cube: the session is single-use", async () => {
    const { page, event } = await embed(`/embed/dashboard/sales-overview?session=${await mint()}`);
    expect(event.data.type).toBe("cube:event:ready");
    // The host cannot reach into the cross-origin frame; setting the same src reloads it.
    await page.evaluate(`window.__events = []; const f = document.getElementById("cube"); f.src = f.src;`);
    const again = await firstEvent(page, "cube-embed");
    expect(again.data).toMatchObject({ type: "cube:event:error", payload: { name: "SessionExchangeError" } });
  });

  it("a fault on a consuming route reaches the page; the journal shows the page's calls", async () => {
    const control = `${emu.origin}/__embedkit`;
    const post = (path: string, body: unknown) =>
      fetch(control + path, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    expect((await post("/faults", { operationId: "getDeployment", status: 503, count: 1 })).status).toBe(200);
    const { event } = await embed(`/embed/dashboard/sales-overview?session=${await mint()}`);
    expect(event.data).toMatchObject({ type: "cube:event:error", payload: { name: "DeploymentError" } });
    const journal = (await (await fetch(`${control}/requests`)).json()) as {
      requests: { operationId?: string; status: number }[];
    };
    expect(journal.requests.map((r) => `${r.operationId} ${r.status}`)).toEqual([
      "generateSession 200",
      "embed:dashboard 200",
      "postTokenBySessionId 200",
      "getEmbedDashboard 200",
      "getDeployment 503",
    ]);
  });
});
