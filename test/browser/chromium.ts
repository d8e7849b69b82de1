import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";

/**
 * Debian's chromium (installed by `.ci/run` with apt), never a downloaded browser. The flags keep it
 * off the network and away from the machine's GPU, sandbox and profile.
 */
export const CHROMIUM_PATH = "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A running headless Chromium with its own throw-away profile; `close()` removes both. */
export interface LaunchedChromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Launches headless Chromium with a fresh temporary user-data-dir (no cookies, cache or service
 * workers from an earlier test). Call `close()` in `afterAll`. `extraArgs` go after the standard
 * flags (e.g. `--host-resolver-rules=MAP rebind.test 127.0.0.1` to rehearse DNS rebinding).
 */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<LaunchedChromium> {
  const profile = await mkdtemp(join(tmpdir(), "embedkit-chromium-"));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS, ...extraArgs],
      headless: true,
    });
    return {
      context,
      async close() {
        await context.close();
        await rm(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
}
