import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { connect, createServer, type Server } from "node:net";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createCubeClient } from "../../src/clients/index.js";
import { packageRoot } from "../../src/openapi/index.js";
import { runCli } from "./run-cli.js";

async function run(...argv: string[]) {
  const { code, out, errLines } = await runCli(...argv);
  return { code, out, err: errLines };
}

/** Listens on a free loopback port and keeps it, so the port is known to be taken. */
async function holdPort(): Promise<Server> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  return server;
}

function portOf(server: Server): number {
  const address = server.address();
  if (typeof address !== "object" || !address) throw new Error("no address");
  return address.port;
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

describe("embedkit prism: usage", () => {
  it.each([
    [["prism", "nope"], /unknown provider "nope"/],
    [["prism", "cube", "explo", "--port", "4100"], /--port needs exactly one provider/],
    [["prism", "cube", "--port", "0"], /--port must be a whole number from 1 to 65535/],
    [["prism", "--bogus"], /bogus/],
  ])("%j exits 2 with one line", async (argv, message) => {
    const { code, err } = await run(...argv);
    expect(code).toBe(2);
    expect(err[0]).toMatch(message);
  });

  it("says so in one line and exits 2 when the port is taken", async () => {
    const held = await holdPort();
    try {
      const { code, err } = await run("prism", "toucan", "--port", String(portOf(held)), "--quiet");
      expect(code).toBe(2);
      expect(err).toEqual([
        `embedkit prism: 127.0.0.1:${portOf(held)} is not available (EADDRINUSE); pick another with --port, or stop what holds it`,
      ]);
    } finally {
      held.close();
    }
  });
});

describe("embedkit prism cube, as a process", () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });

  it("prints a base URL that works, then stops Prism and exits 0 on SIGINT", async () => {
    const held = await holdPort();
    const port = portOf(held);
    held.close();
    await once(held, "close");
    // node --import tsx rather than npx tsx: no npm or tsx wrapper process in between, so the
    // SIGINT below reaches embedkit itself, as Ctrl-C would.
    child = spawn(
      process.execPath,
      ["--import", "tsx", join("src", "cli", "main.ts"), "prism", "cube", "--port", String(port), "--quiet"],
      { cwd: packageRoot(), stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const printed = await new Promise<string>((resolve, reject) => {
      child?.stdout?.on("data", (d: Buffer) => {
        stdout += d.toString();
        const match = /Cube Cloud\s+(http:\/\/\S+)/.exec(stdout);
        if (match?.[1]) resolve(match[1]);
      });
      child?.once("exit", (code) => reject(new Error(`exited ${code} before printing a URL: ${stderr}`)));
    });
    // The same base URL as Cube Cloud and `embedkit mock`: under /api.
    expect(printed).toBe(`http://127.0.0.1:${port}/api`);

    const cube = createCubeClient({ baseUrl: printed, apiKey: "dev" });
    const { data, response } = await cube.POST("/v1/embed/generate-session", { body: { deploymentId: 32 } });
    expect(response.status).toBe(200);
    expect(data?.sessionId).toMatch(/^[0-9a-f]{32}$/);

    const exited = once(child, "exit");
    child.kill("SIGINT");
    const [code, signal] = await exited;
    expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: "" });
    // Prism went with it: nothing listens on the port any more.
    expect(await answers(port)).toBe(false);
    // Prism alone takes ~13 s to start on a loaded 2-core machine; the default 30 s was too short.
  }, 120_000);
});
