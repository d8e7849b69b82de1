import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { resolveMockTargets } from "../../src/cli/mock-config.js";
import { packageRoot } from "../../src/openapi/index.js";
import { rawRequest } from "../robustness/support.js";
import { runBundle } from "./run-bundle.js";

/** `--allowed-host`, `allowedHosts` and EMBEDKIT_ALLOWED_HOSTS, as the shipped CLI takes them. */
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

/** `node dist/bundle/main.js mock cube --port 0 --quiet …`; resolves with its port and its stderr so far. */
function startMock(args: string[]): Promise<{ port: number; err: () => string }> {
  const main = join(packageRoot(), "dist", "bundle", "main.js");
  const child = spawn(process.execPath, [main, "mock", "cube", "--port", "0", "--quiet", ...args], {
    cwd: packageRoot(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let err = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    err += String(chunk);
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      const m = /^cube http:\/\/127\.0\.0\.1:(\d+)\/api$/m.exec(String(chunk));
      if (m?.[1]) resolve({ port: Number(m[1]), err: () => err });
    });
    child.on("exit", (code) => reject(new Error(`mock exited early with ${code}: ${err}`)));
  });
}

const health = (port: number, host: string) =>
  rawRequest(port, `GET /__embedkit/health HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);

describe("embedkit mock --allowed-host", () => {
  it("answers an allowed name, refuses another with 403 and a line saying how to allow it", async () => {
    const { port, err } = await startMock(["--allowed-host", "dev.test", "--allowed-host", ".corp.test"]);
    expect((await health(port, "dev.test")).status).toBe(200);
    expect((await health(port, "api.corp.test")).status).toBe(200);
    expect((await health(port, `127.0.0.1:${port}`)).status).toBe(200);
    const refused = await health(port, "evil.test");
    expect(refused.status).toBe(403);
    expect(refused.body).toContain("--allowed-host");
    await expect.poll(err).toContain('refused Host "evil.test"');
    expect(err()).toContain("--allowed-host");
  });
});

describe("allowedHosts from every layer", () => {
  it.each([
    [{}, {}, undefined, undefined],
    [{ allowedHosts: ["a.test"] }, {}, undefined, ["a.test"]],
    [{}, { EMBEDKIT_ALLOWED_HOSTS: "b.test, c.test," }, undefined, ["b.test", "c.test"]],
    [{}, {}, ["d.test"], ["d.test"]],
    [
      { allowedHosts: ["a.test"] },
      { EMBEDKIT_ALLOWED_HOSTS: "b.test" },
      ["d.test"],
      ["a.test", "b.test", "d.test"],
    ],
    [{ all: { allowedHosts: ["e.test"] } }, {}, undefined, ["e.test"]],
  ])("file %j, env %j, flags %j → %j", async (file, env, flags, expected) => {
    const dir = await mkdtemp(join(tmpdir(), "embedkit-hosts-"));
    const path = join(dir, "config.json");
    await writeFile(path, JSON.stringify(file));
    const {
      targets: [target],
    } = await resolveMockTargets(
      { providers: ["cube"], configFile: path, ...(flags ? { allowedHosts: flags } : {}) },
      env,
      dir,
    );
    await rm(dir, { recursive: true, force: true });
    expect(target?.config.allowedHosts).toEqual(expected);
  });
});

describe("start-up refusals", () => {
  it.each([[["mock", "cube", "--allowed-host", "bad host!"], "allowedHosts"]])(
    "embedkit %j exits 2 naming %s",
    async (argv, text) => {
      const run = await runBundle(argv);
      expect(run.code).toBe(2);
      expect(run.err).toContain(text);
    },
  );

  it("an empty EMBEDKIT_CUBE_PORT is an error, not a random port", async () => {
    await expect(
      resolveMockTargets({ providers: ["cube"] }, { EMBEDKIT_CUBE_PORT: "" }, "/"),
    ).rejects.toThrow(/EMBEDKIT_CUBE_PORT: must be a port number/);
  });
});
