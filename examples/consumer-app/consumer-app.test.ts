import type { Emulator } from "embedkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LaunchedChromium, launchChromium } from "../../test/browser/chromium.js";
import { type Backend, startBackend } from "./backend.js";
import { startLocalVendors } from "./local.js";

let vendors: Emulator[];
let backend: Backend;
let chromium: LaunchedChromium;

beforeAll(async () => {
  const local = await startLocalVendors();
  vendors = local.vendors;
  [backend, chromium] = await Promise.all([startBackend(local.options), launchChromium()]);
});

afterAll(async () => {
  await chromium?.close();
  await Promise.all([backend?.close(), ...(vendors ?? []).map((v) => v.close())]);
});

describe("the example consumer app against the emulators", () => {
  it("mints through the typed clients on every page view", async () => {
    const res = await fetch(`${backend.origin}/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/\/embed\/dashboard\/sales-overview\?session=[0-9a-f]{32}/);
    expect(html).toMatch(/<explo-dashboard dash-jwt="eyJ[\w.-]+"/);
    expect(html).toMatch(/<tc-dashboard dashboard-id="sales" auth-token="eyJ[\w.-]+"/);
  });

  it("shows all three embeds in Chromium", async () => {
    const page = await chromium.context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${backend.origin}/`);
    await expect.poll(() => page.locator("#cube-events").textContent()).toContain("cube:event:ready");
    const cube = page.frameLocator("#cube").locator('[data-field="external id"]');
    expect(await cube.textContent()).toBe("ada@example.com");
    const explo = page.frameLocator("explo-dashboard iframe").locator('[data-field="customer"]');
    expect(await explo.textContent()).toBe("customer_1");
    expect(await page.locator('tc-dashboard [data-field="user"]').textContent()).toBe("ada@example.com");
    await page.close();
  });
});
