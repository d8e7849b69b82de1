import { mkdir } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";

/**
 * A customer's app in miniature: a node:http server on its own loopback port (so its pages are on
 * another origin than the emulator's), serving whatever page a test registers. Each page records
 * the `postMessage` events it receives in `window.__events`.
 */
export interface HostApp {
  origin: string;
  /** Registers a page and returns its URL. */
  page(body: string): string;
  close(): Promise<void>;
}

const RECORDER = `<script>
window.__events = [];
addEventListener("message", (e) => window.__events.push({ origin: e.origin, data: e.data }));
</script>`;

export async function startHost(host = "127.0.0.1"): Promise<HostApp> {
  const pages = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    const html = pages.get((req.url ?? "/").split("?")[0] ?? "/");
    res.writeHead(html ? 200 : 404, { "content-type": "text/html; charset=utf-8" });
    res.end(html ?? "not found");
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const origin = `http://${host}:${port}`;
  return {
    origin,
    page(body) {
      const path = `/page-${pages.size + 1}`;
      pages.set(
        path,
        `<!doctype html><html><head><meta charset="utf-8">${RECORDER}</head><body>${body}</body></html>`,
      );
      return origin + path;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Opens a page and waits until it has received a message from `source`; returns that message. */
export async function firstEvent(
  page: Page,
  source: string,
): Promise<{ origin: string; data: Record<string, unknown> }> {
  const pick = `window.__events.find((e) => e.data && e.data.source === ${JSON.stringify(source)})`;
  await page.waitForFunction(`Boolean(${pick})`, undefined, { timeout: 10_000 });
  return (await page.evaluate(pick)) as { origin: string; data: Record<string, unknown> };
}

export async function openPage(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  // A missing element fails the test in seconds, with its locator, not at the test timeout.
  page.setDefaultTimeout(10_000);
  await page.goto(url);
  return page;
}

/** Screenshots are test artifacts under reports/ (gitignored), never committed. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = join("reports", "browser");
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Moves the emulator's clock through its control plane, as a test against `embedkit mock` would. */
export async function advanceClock(emu: { origin: string | undefined }, seconds: number): Promise<void> {
  const res = await fetch(`${emu.origin}/__embedkit/clock`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ advanceSeconds: seconds }),
  });
  if (!res.ok) throw new Error(`moving the clock failed: ${res.status}`);
}
