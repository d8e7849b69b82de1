import type { ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { PROVIDER_IDS, packageRoot } from "../../src/openapi/index.js";
import { spawnMock } from "./spawn-mock.js";

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env,
    cwd: packageRoot(),
  });
  return { code, out, err };
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

/** Starts `embedkit mock --quiet` on free ports and resolves with the base URL of each provider. */
async function startMock(): Promise<{ child: ChildProcess; urls: Record<string, string> }> {
  const { child, ready } = spawnMock(["--import", "tsx", "src/cli/main.ts", "mock"], {}, PROVIDER_IDS.length);
  children.push(child);
  return { child, urls: await ready };
}

const post = (url: string, headers: Record<string, string>, body: unknown) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

describe("embedkit mock", () => {
  it("serves all three providers and stops with exit 0 on SIGTERM", async () => {
    const { child, urls } = await startMock();
    const cube = await post(
      `${urls.cube}/v1/embed/generate-session`,
      { authorization: "Api-Key ek_cube_admin_dev" },
      { deploymentId: 32, externalId: "user@example.com" },
    );
    expect(cube.status).toBe(200);
    const explo = await post(
      `${urls.explo}/api/generate_jwt/`,
      { "explo-authorization": "Token ek_explo_dev_token" },
      {
        provided_id: "c",
        embed_id: "e",
      },
    );
    expect(explo.status).toBe(200);
    const toucan = await post(
      `${urls.toucan}/embed/generate-token`,
      { "x-api-key": "ek_toucan_dev_key" },
      {
        user: { distinctId: "u", role: "explorer", attributes: {} },
      },
    );
    expect(toucan.status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });

  it("refuses a taken port with one line and exit 2", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    const { code, err } = await run(["mock", "cube", "--port", String(port)]);
    blocker.close();
    expect(code).toBe(2);
    expect(err).toEqual([
      `embedkit mock: cube: port ${port} on 127.0.0.1 is already in use; pick another with --port`,
    ]);
  });

  it.each([
    [
      "a bad field",
      "cube:\n  maxExternalUsers: -1\n",
      "embedkit mock: cube config: maxExternalUsers: must be >= 1",
    ],
    ["an unknown section", "cubes: {}\n", "unknown key"],
  ])("refuses a config file with %s (exit 2, one line)", async (_name, yaml, message) => {
    const file = join(mkdtempSync(join(tmpdir(), "embedkit-mock-")), "config.yaml");
    writeFileSync(file, yaml);
    const { code, err } = await run(["mock", "cube", "--port", "0", "--config", file]);
    expect(code).toBe(2);
    expect(err[0]).toContain(message);
  });

  it.each([
    [["mock", "nope"], "unknown provider"],
    [["mock", "--port", "1234"], "--port needs exactly one provider"],
  ])("refuses %j", async (argv, message) => {
    const { code, err } = await run(argv);
    expect(code).toBe(2);
    expect(err.join("\n")).toContain(message);
  });
});
