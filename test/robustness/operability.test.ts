import { type ChildProcess, spawn } from "node:child_process";
import { connect, createServer } from "node:net";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { ConfigError, createEmulator, type Emulator } from "../../src/emulator/index.js";
import { packageRoot } from "../../src/openapi/index.js";
import { within } from "./support.js";

/** The CLI as users run it: a child process, signals, exit codes and what it prints. */
interface Mock {
  child: ChildProcess;
  out: string[];
  err: string[];
  exited: Promise<number | null>;
  /** Resolves with the first stdout line matching `pattern`. */
  line(pattern: RegExp): Promise<RegExpExecArray>;
}

const children: ChildProcess[] = [];
const emulators: Emulator[] = [];
// After all, not each: the refusal tests run concurrently, and one's cleanup must not kill another's child.
afterAll(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()));
});

function mock(args: string[]): Mock {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "mock", ...args], {
    cwd: packageRoot(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  const out: string[] = [];
  const err: string[] = [];
  const waiting: [RegExp, (m: RegExpExecArray) => void][] = [];
  const collect = (into: string[]) => (chunk: Buffer) => {
    for (const l of String(chunk).split("\n").filter(Boolean)) {
      into.push(l);
      for (const [pattern, resolve] of waiting) {
        const m = pattern.exec(l);
        if (m) resolve(m);
      }
    }
  };
  child.stdout?.on("data", collect(out));
  child.stderr?.on("data", collect(err));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const line = (pattern: RegExp) =>
    within(
      new Promise<RegExpExecArray>((resolve) => {
        const seen = out.map((l) => pattern.exec(l)).find(Boolean);
        if (seen) resolve(seen);
        else waiting.push([pattern, resolve]);
      }),
      20_000,
      `a line matching ${pattern}`,
    );
  return { child, out, err, exited, line };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const generate = (base: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/v1/embed/generate-session`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Api-Key ek_cube_admin_dev", ...headers },
    body: '{"deploymentId":32,"externalId":"u"}',
  });

describe("stopping", () => {
  it.each(["SIGTERM", "SIGINT"] as const)(
    "%s: stops accepting, finishes the request in flight, exits 0",
    async (signal) => {
      const m = mock(["cube", "--port", "0", "--quiet"]);
      const base = (await m.line(/^cube (http:\/\/\S+)$/))[1] as string;
      const inFlight = generate(base, { prefer: "delay=1500" });
      await pause(300);
      m.child.kill(signal);
      await pause(300);
      const late = await fetch(`${base}/v1/embed/generate-session`, { method: "POST" }).catch(
        (e: { cause?: { code?: string } }) => e.cause?.code,
      );
      expect(late).toBe("ECONNREFUSED");
      const answered = await inFlight;
      expect(answered.status).toBe(200);
      // The connection closes with its last answer, so shutdown never waits on an idle keep-alive.
      expect(answered.headers.get("connection")).toBe("close");
      expect(await within(m.exited, 10_000, "exit")).toBe(0);
      expect(m.err).toEqual([]);
    },
  );
});

describe.concurrent("refusing to start", () => {
  it("a taken port: one clear line, exit 2, no stack", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    const m = mock(["cube", "--port", String(port)]);
    const code = await within(m.exited, 20_000, "exit");
    blocker.close();
    expect(code).toBe(2);
    expect(m.err).toEqual([
      `embedkit mock: cube: port ${port} on 127.0.0.1 is already in use; pick another with --port`,
    ]);
  });

  it.each([
    [["--nope"], "Unknown option '--nope'"],
    [["cube", "--port", "abc"], "--port must be a whole number"],
    [["cube", "--port", "70000"], "--port must be a whole number"],
    [["cube", "--log-format", "xml"], "--log-format must be text or json"],
    [["cubes"], 'unknown provider "cubes"'],
  ])("bad flags %j: one line that says what is wrong, exit 2, no stack", async (args, message) => {
    const m = mock(args);
    expect(await within(m.exited, 20_000, "exit")).toBe(2);
    expect(m.err[0]).toContain(message);
    expect(m.err[0]).toMatch(/\(see embedkit mock --help\)$/);
    expect(m.err).toHaveLength(1);
    expect(m.err.join("\n")).not.toMatch(/^\s+at /m);
  });
});

describe("structured logs", () => {
  it("--log-format json: every stdout line is a JSON object with time, level and msg", async () => {
    const m = mock(["cube", "--port", "0", "--log-format", "json"]);
    const listening = JSON.parse((await m.line(/"msg":"listening"/)).input) as Record<string, string>;
    expect((await generate(listening.url as string)).status).toBe(200);
    const request = JSON.parse((await m.line(/"msg":"request"/)).input) as Record<string, unknown>;
    expect(request).toMatchObject({ level: "info", provider: "cube", method: "POST", status: 200 });
    expect(new Date(request.time as string).toISOString()).toBe(request.time);
    m.child.kill("SIGTERM");
    expect(await m.exited).toBe(0);
    for (const l of m.out)
      expect(JSON.parse(l)).toMatchObject({ time: expect.any(String), level: expect.any(String) });
  });

  it("--quiet: no info lines (a request leaves no trace), text or json", async () => {
    const m = mock(["cube", "--port", "0", "--quiet", "--log-format", "json"]);
    const listening = JSON.parse((await m.line(/"msg":"listening"/)).input) as Record<string, string>;
    expect((await generate(listening.url as string)).status).toBe(200);
    m.child.kill("SIGTERM");
    expect(await m.exited).toBe(0);
    expect(m.out.map((l) => JSON.parse(l).msg)).toEqual(["listening"]);
  });

  it("text by default: `<time> <level> <provider> <msg> key=value…`", async () => {
    const m = mock(["cube", "--port", "0"]);
    const base = (await m.line(/^cube\s+Cube.*\s(http:\/\/\S+)$/))[1] as string;
    expect((await generate(base)).status).toBe(200);
    const line = (await m.line(/ info cube request /)).input;
    expect(line).toMatch(
      /^\d{4}-\d\d-\d\dT\S+Z info cube request method="POST" path="\/api\/v1\/embed\/generate-session" status=200 durationMs=/,
    );
  });

  it("beyond loopback without a token, --quiet still prints the generated control token", async () => {
    const m = mock(["cube", "--port", "0", "--quiet", "--host", "0.0.0.0"]);
    const url = (await m.line(/^cube (http:\/\/\S+)$/))[1] as string;
    const token = (await m.line(/^control token \(X-Embedkit-Control-Token\): (\S+)$/))[1] as string;
    const health = `http://127.0.0.1:${new URL(url).port}/__embedkit/health`;
    expect((await fetch(health)).status).toBe(401);
    expect((await fetch(health, { headers: { "x-embedkit-control-token": token } })).status).toBe(200);
  });
});

/** A client that trickles bytes; resolves with what the server sent before it closed the socket. */
function trickle(port: number, head: string, drip: string): Promise<string> {
  return new Promise((resolve) => {
    let received = "";
    let i = 0;
    let timer: NodeJS.Timeout | undefined;
    // The drip starts once the head is written: started earlier, on a loaded machine a drip byte
    // could go out before the head and the server rightly answered 400 instead of 408.
    const socket = connect(port, "127.0.0.1", () => {
      socket.write(head);
      timer = setInterval(() => {
        if (socket.writable) socket.write(drip[i++ % drip.length] as string);
      }, 40);
    });
    socket.on("data", (d) => {
      received += d;
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      clearInterval(timer);
      resolve(received);
    });
  });
}

describe("slow clients cannot hold a socket", () => {
  const slow = { headersTimeoutMs: 300, requestTimeoutMs: 600 };

  it("the defaults are set, and a timeout below the floor is refused", async () => {
    const emu = await createEmulator({ provider: "cube" });
    expect([emu.config.headersTimeoutMs, emu.config.requestTimeoutMs]).toEqual([10_000, 30_000]);
    await expect(
      createEmulator({ provider: "cube", config: { headersTimeoutMs: 5 } }),
    ).rejects.toBeInstanceOf(ConfigError);
  });

  it.each([
    ["headers sent a byte at a time", "POST /api/v1/embed/generate-session HTTP/1.1\r\n", "X-Slow: a\r\n"],
    [
      "a body sent a byte at a time",
      "POST /api/v1/embed/session/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n",
      " ",
    ],
  ])("%s: answered 408 in the envelope and closed, while others are served", async (_name, head, drip) => {
    const emu = await createEmulator({ provider: "cube", config: slow });
    emulators.push(emu);
    const { port, url } = await emu.listen(0);
    const closed = trickle(port, head, drip);
    expect((await generate(url)).status).toBe(200);
    const received = await within(closed, 10_000, "the server closing the slow socket");
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    expect(received).toContain('"statusCode":408');
    expect((await fetch(`${emu.origin}/__embedkit/health`)).status).toBe(200);
  });
});
