import type { Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createExploClient, type ExploClient } from "../../src/clients/index.js";
import { createEmulator, type Emulator } from "../../src/emulator/index.js";
import { type LaunchedChromium, launchChromium } from "./chromium.js";
import { advanceClock, type HostApp, openPage, screenshot, startHost } from "./host.js";

// One browser, one emulator and two host apps (two origins) for the whole file.
let chromium: LaunchedChromium;
let emu: Emulator;
let host: HostApp;
let otherHost: HostApp;
let explo: ExploClient;
const pages: Page[] = [];

beforeAll(async () => {
  [chromium, emu, host, otherHost] = await Promise.all([
    launchChromium(),
    createEmulator({ provider: "explo", config: { rateLimit: { enabled: false } } }),
    startHost(),
    startHost(),
  ]);
  await emu.listen(0);
  explo = createExploClient({ baseUrl: emu.url ?? "", token: "ek_explo_dev_token" });
});

afterAll(async () => {
  await chromium?.close();
  await Promise.all([emu?.close(), host?.close(), otherHost?.close()]);
});

beforeEach(async () => {
  await Promise.all(pages.splice(0).map((p) => p.close()));
  emu.reset();
});

async function mint(extra: Record<string, unknown> = {}): Promise<string> {
  const { data, error } = await explo.POST("/api/generate_jwt/", {
    body: {
      provided_id: "customer_1",
      embed_id: "abcde",
      rb_allowed_features: ["flt", "srt"],
      embed_origin: host.origin,
      ...extra,
    },
  });
  if (!data) throw new Error(`generate_jwt failed: ${JSON.stringify(error)}`);
  return data.jwt;
}

const component = (jwt: string) =>
  `<script src="${emu.origin}/bundle.js"></script><explo-dashboard dash-jwt="${jwt}" environment="production"></explo-dashboard>`;
const iframe = (jwt: string) => `<iframe id="explo" src="${emu.origin}/iframe/${jwt}/production"></iframe>`;

/** The host page (on `on`) embeds the token one way; returns the Explo frame. */
async function embed(how: "component" | "iframe", jwt: string, on: HostApp = host) {
  const page = await openPage(chromium.context, on.page(how === "component" ? component(jwt) : iframe(jwt)));
  pages.push(page);
  const frame = page.frameLocator(how === "component" ? "explo-dashboard iframe" : "#explo");
  return { page, frame };
}

describe.each(["component", "iframe"] as const)("Explo %s in Chromium", (how) => {
  it("decrypts the token by its kid and shows customer, dashboard and features", async () => {
    const { frame, page } = await embed(how, await mint());
    await expect.poll(() => frame.locator("[data-embedkit-ready]").textContent()).toContain("abcde");
    expect(await frame.locator('[data-field="customer"]').textContent()).toBe("customer_1");
    expect(await frame.locator('[data-field="report builder features"]').textContent()).toBe('["flt","srt"]');
    expect(await frame.locator('[data-field="embed origin"]').textContent()).toBe(`${host.origin}/`);
    if (how === "component") await screenshot(page, "explo-dashboard");
  });

  const refusals: [string, () => Promise<{ jwt: string; on?: HostApp }>, string, RegExp][] = [
    [
      "embedded from another origin",
      async () => ({ jwt: await mint(), on: otherHost }),
      "origin",
      /valid only on/,
    ],
    [
      "expired (the clock moved past exp)",
      async () => {
        const jwt = await mint({ expiration: "PT1H" });
        await advanceClock(emu, 3601);
        return { jwt };
      },
      "expired",
      /expired at/,
    ],
    [
      "encrypted with a key id the provider does not have",
      async () => {
        const other = await createEmulator({
          provider: "explo",
          config: {
            embedSecrets: [{ keyId: "elsewhere", secret: "another-embed-secret-of-32-bytes" }],
            defaultKeyId: "elsewhere",
          },
        });
        const client = createExploClient({
          baseUrl: "http://x",
          token: "ek_explo_dev_token",
          fetch: (r) => other.fetch(r),
        });
        const { data } = await client.POST("/api/generate_jwt/", {
          body: { provided_id: "c", embed_id: "d" },
        });
        return { jwt: data?.jwt ?? "" };
      },
      "wrong-key",
      /kid "elsewhere"/,
    ],
    ["not a token at all", async () => ({ jwt: "not-a-jwt" }), "malformed", /not a compact JWE/],
  ];

  it.each(refusals)("refuses a token %s with a clear in-page error", async (_what, make, code, message) => {
    const { jwt, on } = await make();
    const { frame } = await embed(how, jwt, on);
    const alert = frame.locator(`[data-embedkit-error="${code}"]`);
    await expect.poll(() => alert.textContent()).toMatch(message);
  });
});

describe("Explo under the control plane", () => {
  it("a token without embed_origin is shown on any origin; the journal shows the iframe load", async () => {
    const { frame } = await embed("component", await mint({ embed_origin: null }), otherHost);
    await expect.poll(() => frame.locator('[data-field="embed origin"]').textContent()).toMatch(/any/);
    const journal = (await (await fetch(`${emu.origin}/__embedkit/requests`)).json()) as {
      requests: { operationId?: string; path: string; status: number }[];
    };
    expect(journal.requests.map((r) => `${r.operationId} ${r.status}`)).toEqual([
      "generateJwt 200",
      "embed:bundle 200",
      "embed:iframe 200",
    ]);
    // The token in the iframe's path is a credential: the journal never shows it.
    expect(journal.requests[2]?.path).toBe("/iframe/[redacted]/production");
  });

  it("a fault on the iframe route shows in the page", async () => {
    const set = await fetch(`${emu.origin}/__embedkit/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ operationId: "embed:iframe", status: 503 }),
    });
    expect(set.status).toBe(200);
    const { frame } = await embed("iframe", await mint());
    await expect.poll(() => frame.locator("body").textContent()).toContain("Injected fault");
  });
});
