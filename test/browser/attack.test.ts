import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmulator, type Emulator } from "../../src/emulator/index.js";
import { AUTH, PATHS, VALID_BODY } from "../emulator/helpers.js";
import { type LaunchedChromium, launchChromium } from "./chromium.js";
import { hostilePage } from "./hostile-page.js";

/**
 * A web page the developer happens to visit must not drive the local providers: it is served from
 * another loopback origin and tries every request a page can make without a preflight, plus reads.
 * Afterwards nothing has changed and nothing was read. A DNS-rebinding page (a foreign name that
 * resolves to 127.0.0.1, rehearsed with Chromium's host-resolver rules) is refused by Host.
 */
const REBIND = "rebind.test";
let browser: LaunchedChromium;
let emulator: Emulator;
let emuOrigin = "";
let hostile: Server;
let hostileOrigin = "";

const json = { "content-type": "application/json" };

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return typeof address === "object" && address ? address.port : 0;
}

beforeAll(async () => {
  emulator = await createEmulator({ provider: "cube" });
  emuOrigin = (await emulator.listen(0)).origin;
  hostile = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end(hostilePage(emuOrigin));
  });
  // Another loopback origin: the same address, another port, as a second dev server would be.
  hostileOrigin = `http://127.0.0.1:${await listen(hostile)}`;
  browser = await launchChromium([`--host-resolver-rules=MAP ${REBIND} 127.0.0.1`]);
});

afterAll(async () => {
  await browser?.close();
  await emulator?.close();
  await new Promise((resolve) => hostile?.close(resolve));
});

/** What the control plane says, asked the way the developer's own tools ask (no Origin). */
async function control(name: string) {
  return (await (await fetch(`${emuOrigin}/__embedkit/${name}`)).json()) as Record<string, unknown>;
}

describe("a hostile page on another loopback origin", () => {
  it("changes nothing and reads nothing", async () => {
    const made = await fetch(`${emulator.url}${PATHS.cube.generate.slice(4)}`, {
      method: "POST",
      headers: { ...json, ...AUTH.cube },
      body: JSON.stringify(VALID_BODY.cube),
    });
    expect(made.status).toBe(200);
    const before = await control("state");

    const page = await browser.context.newPage();
    await page.goto(hostileOrigin);
    await page.waitForFunction(() => (globalThis as unknown as { done?: boolean }).done === true, undefined, {
      timeout: 20_000,
    });
    const results = (await page.evaluate(
      () => (globalThis as unknown as { results: unknown }).results,
    )) as Record<string, unknown>;
    await page.close();

    // The simple requests were really sent and answered (an opaque response), just powerless.
    expect(results["text/plain POST faults"]).toBe("opaque");
    expect(results["no-cors empty POST reset"]).toBe("opaque");
    expect(results["form text/plain clock"]).toBe("submitted");
    // Nothing was read: a CORS read fails, a no-cors read is opaque and empty.
    expect(results["read state"]).toMatch(/^blocked/);
    expect(results["read requests"]).toMatch(/^blocked/);
    expect(results["read state no-cors"]).toBe("opaque:");
    expect(JSON.stringify(results)).not.toContain("user@example.com");

    const after = await control("state");
    expect(after.counts).toEqual(before.counts);
    expect(after.counters).toEqual(before.counters);
    expect((await control("faults")).faults).toEqual([]);
    expect((await control("clock")).offsetMs).toBe(0);
    const again = await fetch(`${emulator.url}${PATHS.cube.generate.slice(4)}`, {
      method: "POST",
      headers: { ...json, ...AUTH.cube },
      body: JSON.stringify(VALID_BODY.cube),
    });
    expect(again.status).toBe(200);
  });
});

describe("a DNS-rebinding page (a foreign name resolving to 127.0.0.1)", () => {
  it.each([
    ["/__embedkit/state", /"error"/],
    ["/__embedkit/requests", /"error"/],
    [PATHS.cube.exchange, /"statusCode":403/],
  ])("GET %s by that name is refused 403 and shows nothing", async (path, envelope) => {
    const port = new URL(emuOrigin).port;
    const page = await browser.context.newPage();
    const response = await page.goto(`http://${REBIND}:${port}${path}`);
    const text = (await response?.text()) ?? "";
    await page.close();
    expect(response?.status()).toBe(403);
    expect(text).toMatch(envelope);
    expect(text).toContain("--allowed-host");
    expect(text).not.toContain("counters");
  });

  it("the page's own same-origin calls are refused too", async () => {
    const port = new URL(emuOrigin).port;
    const page = await browser.context.newPage();
    await page.goto(`http://${REBIND}:${port}/`);
    const statuses = await page.evaluate(async (generate) => {
      const post = (path: string, headers: Record<string, string>, body: string) =>
        fetch(path, { method: "POST", headers, body }).then((r) => r.status);
      return [
        await post("/__embedkit/reset", { "content-type": "application/json" }, "{}"),
        await post(
          generate,
          { "content-type": "application/json", authorization: "Api-Key ek_cube_admin_dev" },
          '{"deploymentId":32}',
        ),
        await fetch("/__embedkit/state").then((r) => r.status),
      ];
    }, PATHS.cube.generate);
    await page.close();
    expect(statuses).toEqual([403, 403, 403]);
  });
});
