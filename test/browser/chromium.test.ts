import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LaunchedChromium, launchChromium } from "./chromium.js";

/** The shared launcher drives Debian's chromium: a page on 127.0.0.1 loads and runs its script. */
let browser: LaunchedChromium;
let server: Server;
let origin = "";

beforeAll(async () => {
  browser = await launchChromium();
  server = createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end(
      `<title>${req.url === "/a" ? "page a" : "other"}</title><script>document.title += " ran"</script>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

describe("launchChromium", () => {
  it.each([
    ["/a", "page a ran"],
    ["/b", "other ran"],
  ])("loads %s from a loopback server and runs its script", async (path, title) => {
    const page = await browser.context.newPage();
    await page.goto(`${origin}${path}`);
    expect(await page.title()).toBe(title);
    await page.close();
  });
});
