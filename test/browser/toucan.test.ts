import type { Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createToucanClient, type ToucanClient } from "../../src/clients/index.js";
import { createEmulator, type Emulator } from "../../src/emulator/index.js";
import type { ToucanApiKey } from "../../src/emulator/providers/toucan/index.js";
import { type LaunchedChromium, launchChromium } from "./chromium.js";
import { advanceClock, type HostApp, openPage, screenshot, startHost } from "./host.js";

// One browser, one emulator and two host apps (an authorized origin and another) for the file.
let chromium: LaunchedChromium;
let emu: Emulator;
let host: HostApp;
let otherHost: HostApp;
let toucan: ToucanClient;
const pages: Page[] = [];

beforeAll(async () => {
  [chromium, host, otherHost] = await Promise.all([launchChromium(), startHost(), startHost()]);
  const defaults = (await createEmulator({ provider: "toucan" })).config.apiKeys as ToucanApiKey[];
  // Only the first host app is an Authorized Origin of the dev key.
  const apiKeys = defaults.map((k, i) => (i === 0 ? { ...k, authorizedOrigins: [host.origin] } : k));
  emu = await createEmulator({ provider: "toucan", config: { apiKeys } });
  await emu.listen(0);
  toucan = createToucanClient({ baseUrl: emu.url ?? "", apiKey: "ek_toucan_dev_key" });
});

afterAll(async () => {
  await chromium?.close();
  await Promise.all([emu?.close(), host?.close(), otherHost?.close()]);
});

beforeEach(async () => {
  await Promise.all(pages.splice(0).map((p) => p.close()));
  emu.reset();
});

async function mint(permissions?: Record<string, Record<string, boolean>>): Promise<string> {
  const { data, error } = await toucan.POST("/embed/generate-token", {
    body: {
      user: { distinctId: "user-123", role: "explorer", attributes: { location: "Paris" } },
      ...(permissions ? { permissions } : {}),
    },
  });
  if (!data) throw new Error(`generate-token failed: ${JSON.stringify(error)}`);
  return data.token;
}

async function embed(element: string, on: HostApp = host) {
  const script = `<script type="module" src="${emu.origin}/embed/embed.js"></script>`;
  const page = await openPage(chromium.context, on.page(`${script}${element}`));
  pages.push(page);
  return page;
}

const dashboard = (token: string, attr = 'dashboard-id="sales"') =>
  `<tc-dashboard ${attr} auth-token="${token}" server-url="${emu.url}/api" data-theme="light"></tc-dashboard>`;

describe("Toucan web components in Chromium", () => {
  const good: [string, (t: string) => string, string][] = [
    ["tc-dashboard with dashboard-id", (t) => dashboard(t), "Dashboard sales"],
    ["tc-dashboard with chart-id", (t) => dashboard(t, 'chart-id="revenue"'), "Chart revenue"],
    [
      "tc-ai-assistant",
      (t) => `<tc-ai-assistant auth-token="${t}" server-url="${emu.url}/api"></tc-ai-assistant>`,
      "AI assistant",
    ],
  ];

  it.each(good)("%s calls /api with the token and shows the user", async (what, element, title) => {
    const token = await mint({
      dashboard: { can_view: true },
      chart: { can_view: true },
      ai: { can_query: true },
    });
    const page = await embed(element(token));
    await expect.poll(() => page.locator("[data-embedkit-ready]").textContent()).toBe(title);
    expect(await page.locator('[data-field="user"]').textContent()).toBe("user-123");
    expect(await page.locator('[data-field="attributes"]').textContent()).toBe('{"location":"Paris"}');
    if (what.includes("dashboard-id")) await screenshot(page, "toucan-dashboard");
  });

  const refusals: [string, () => Promise<{ element: string; on?: HostApp }>, string][] = [
    [
      "used from an origin that is not authorized",
      async () => ({ element: dashboard(await mint()), on: otherHost }),
      "ORIGIN_NOT_ALLOWED",
    ],
    [
      "past its one-hour lifetime (the clock moved)",
      async () => {
        const token = await mint();
        await advanceClock(emu, 3601);
        return { element: dashboard(token) };
      },
      "TOKEN_EXPIRED",
    ],
    [
      "that is not a token",
      async () => ({ element: dashboard("nope.nope.nope.nope.nope") }),
      "INVALID_TOKEN",
    ],
    [
      "without ai.can_query, on the assistant (the default permissions)",
      async () => ({
        element: `<tc-ai-assistant auth-token="${await mint()}" server-url="${emu.url}/api"></tc-ai-assistant>`,
      }),
      "PERMISSION_DENIED",
    ],
  ];

  it.each(refusals)("a token %s is refused, and the page says why", async (_what, make, code) => {
    const { element, on } = await make();
    const page = await embed(element, on);
    await expect.poll(() => page.locator("[role=alert]").getAttribute("data-embedkit-error")).toBe(code);
  });

  it("a fault on the consuming API shows in the page; the journal shows the component's calls", async () => {
    const control = `${emu.origin}/__embedkit`;
    const set = await fetch(`${control}/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ operationId: "api:embed", status: 503, count: 1 }),
    });
    expect(set.status).toBe(200);
    const page = await embed(dashboard(await mint()));
    await expect.poll(() => page.locator("[role=alert]").textContent()).toMatch(/Injected fault/);
    const journal = (await (await fetch(`${control}/requests`)).json()) as {
      requests: { operationId?: string; method: string; status: number }[];
    };
    const calls = journal.requests.map((r) => `${r.method} ${r.operationId} ${r.status}`);
    expect(calls).toContain("GET embed:embed.js 200");
    expect(calls).toContain("GET api:embed 503");
  });
});
