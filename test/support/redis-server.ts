import { type ChildProcess, spawn } from "node:child_process";
import { createServer, Socket } from "node:net";

/**
 * A real `redis-server` (Debian's, installed by .ci/run) on a free loopback port, without
 * persistence, started and stopped by the test that needs it. `stop()` then `start()` again keeps
 * the port, so a test can take Redis away mid-traffic and bring it back; `pause()` keeps it
 * connected but silent.
 */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** SIGSTOP: the socket stays open but nothing is answered, like a Redis swapped out or partitioned. */
  pause(): void;
  /** SIGCONT after pause(). */
  resume(): void;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Resolves once the port accepts a connection and answers PING, or rejects after `ms`. */
async function waitForPong(port: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.setTimeout(500);
      socket.once("error", () => resolve(false));
      socket.once("timeout", () => {
        socket.destroy();
        resolve(false);
      });
      socket.connect(port, "127.0.0.1", () => socket.write("PING\r\n"));
      socket.once("data", (d) => {
        socket.destroy();
        resolve(d.toString().startsWith("+PONG"));
      });
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`redis-server on port ${port} did not answer PING within ${ms} ms`);
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const server: RedisServer = {
    port,
    url: `redis://127.0.0.1:${port}/0`,
    async start() {
      if (child) return;
      const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
      const started = spawn("redis-server", [...args, "--loglevel", "warning"], {
        stdio: ["ignore", "ignore", "inherit"],
      });
      child = started;
      started.once("exit", () => {
        if (child === started) child = undefined;
      });
      await waitForPong(port, 10_000);
    },
    async stop() {
      const running = child;
      if (!running) return;
      child = undefined;
      const exited = new Promise((resolve) => running.once("exit", resolve));
      running.kill("SIGKILL");
      await exited;
    },
    pause() {
      child?.kill("SIGSTOP");
    },
    resume() {
      child?.kill("SIGCONT");
    },
  };
  await server.start();
  return server;
}
