import { type ChildProcess, spawn } from "node:child_process";
import { PROVIDER_IDS, packageRoot } from "../../src/openapi/index.js";

/** Every provider on a free port, so parallel test files never collide. */
const FREE_PORTS = Object.fromEntries(PROVIDER_IDS.map((id) => [`EMBEDKIT_${id.toUpperCase()}_PORT`, "0"]));

/**
 * Starts `<node args> mock … --quiet` and resolves, once `expected` providers listen, with the
 * child and each provider's base URL (read from the `<id> <url>` lines `--quiet` prints).
 */
export function spawnMock(
  nodeArgs: string[],
  env: Record<string, string>,
  expected: number,
): { child: ChildProcess; ready: Promise<Record<string, string>> } {
  const child = spawn(process.execPath, [...nodeArgs, "--quiet"], {
    cwd: packageRoot(),
    env: { ...process.env, ...FREE_PORTS, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const ready = new Promise<Record<string, string>>((resolve, reject) => {
    const urls: Record<string, string> = {};
    child.stdout?.on("data", (chunk: Buffer) => {
      for (const line of String(chunk).split("\n")) {
        const [id, url, extra] = line.trim().split(" ");
        if (id && url?.startsWith("http://") && extra === undefined && PROVIDER_IDS.includes(id as never))
          urls[id] = url;
      }
      if (Object.keys(urls).length === expected) resolve(urls);
    });
    child.on("exit", (code) => reject(new Error(`mock exited early with ${code}`)));
  });
  return { child, ready };
}
