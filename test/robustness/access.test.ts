import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { createEmulator, type Emulator } from "../../src/emulator/index.js";
import { AdjustableClock, systemClock } from "../../src/emulator/kit/clock.js";
import { handleControl } from "../../src/emulator/pipeline/control-plane.js";
import { HostGuard } from "../../src/emulator/pipeline/host-guard.js";
import type { Kernel } from "../../src/emulator/pipeline/kernel.js";
import { Redactor } from "../../src/emulator/pipeline/redact.js";
import type { ProviderId } from "../../src/openapi/index.js";
import { AUTH, PATHS, VALID_BODY } from "../emulator/helpers.js";
import { rawRequest } from "./support.js";

/**
 * Who may do what. "Remote" is judged by the peer address of the socket, never by a header: a
 * server bound beyond loopback answers loopback peers' control calls only when no control token is
 * configured, and demands the token from everyone once one is (the CLI always configures one).
 * All traffic here stays on 127.0.0.1; a non-loopback peer is exercised on the guard directly.
 */
const TOKEN = "a-control-token-of-some-length";
const open: Emulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});

async function listening(provider: ProviderId, host?: string, config: Record<string, unknown> = {}) {
  const emu = await createEmulator({ provider, config });
  open.push(emu);
  const { port } = await emu.listen(0, host);
  return { emu, port, origin: `http://127.0.0.1:${port}` };
}

describe("binding", () => {
  it("binds 127.0.0.1 by default", async () => {
    const emu = await createEmulator({ provider: "cube" });
    open.push(emu);
    const { origin } = await emu.listen(0);
    expect(origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});

describe("the control plane beyond loopback", () => {
  it.each(["health", "state", "requests", "faults", "clock"])(
    "%s: 401 without the token, 403 wrong, 200 right",
    async (name) => {
      const { origin } = await listening("cube", "0.0.0.0", { controlToken: TOKEN });
      const url = `${origin}/__embedkit/${name}`;
      const statuses = [
        (await fetch(url)).status,
        (await fetch(url, { headers: { "x-embedkit-control-token": `${TOKEN}x` } })).status,
        (await fetch(url, { headers: { "x-embedkit-control-token": TOKEN.slice(0, -1) } })).status,
        (await fetch(url, { headers: { "x-embedkit-control-token": TOKEN } })).status,
      ];
      expect(statuses).toEqual([401, 403, 403, 200]);
    },
  );

  it("refuses reset and introspect without the token, and leaves state alone", async () => {
    const { origin } = await listening("cube", "0.0.0.0", { controlToken: TOKEN });
    const post = (name: string, headers: Record<string, string> = {}) =>
      fetch(`${origin}/__embedkit/${name}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ token: "x" }),
      });
    expect((await post("reset")).status).toBe(401);
    expect((await post("introspect", { "x-forwarded-for": "127.0.0.1" })).status).toBe(401);
    expect((await post("introspect", { "x-embedkit-control-token": TOKEN })).status).toBe(200);
  });

  it.each([
    "/__embedkit/./state",
    "/__embedkit//state",
    "/__embedkit/state/",
    "/__embedkit/%73tate",
    "/__embedkit%2Fstate",
    "/__EMBEDKIT/state",
    "/api/../__embedkit/state",
    "/api/v1/../../__embedkit/state",
    "/__embedkit/../__embedkit/state",
  ])("path trick %s never reaches state without the token", async (path) => {
    const { port } = await listening("cube", "0.0.0.0", { controlToken: TOKEN });
    const answer = await rawRequest(port, `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.body).not.toContain("counters");
  });

  it("leaves the provider's own operations open (they have their own credentials)", async () => {
    const { origin } = await listening("toucan", "0.0.0.0", { controlToken: TOKEN });
    const res = await fetch(`${origin}${PATHS.toucan.generate}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...AUTH.toucan },
      body: JSON.stringify(VALID_BODY.toucan),
    });
    expect(res.status).toBe(200);
  });
});

/** The guard itself, for peers that a loopback-only test cannot be. */
function exposedKernel(controlToken?: string): Kernel {
  return {
    exposed: true,
    config: controlToken ? { controlToken } : {},
    redactor: new Redactor(controlToken ? [controlToken] : []),
    definition: { envelope: (statusCode: number, message: string) => ({ statusCode, message }) },
    providerId: "cube",
    clock: new AdjustableClock(systemClock),
    outage: { status: 503, where: "memory" },
    startedAt: Date.now(),
  } as unknown as Kernel;
}

const health = (remoteAddress: string, headers: Record<string, string> = {}) => ({
  method: "GET",
  path: "/__embedkit/health",
  query: "",
  headers,
  body: undefined,
  remoteAddress,
});

describe("the guard by peer address", () => {
  it.each([
    ["203.0.113.7", undefined, {}, 403],
    ["10.0.0.5", undefined, { "x-forwarded-for": "127.0.0.1" }, 403],
    ["::ffff:192.168.1.9", undefined, {}, 403],
    ["fe80::1", undefined, {}, 403],
    ["127.0.0.1", undefined, {}, 200],
    ["::1", undefined, {}, 200],
    ["::ffff:127.0.0.1", undefined, {}, 200],
    ["203.0.113.7", TOKEN, {}, 401],
    ["203.0.113.7", TOKEN, { "x-embedkit-control-token": "nope-nope-nope-nope" }, 403],
    ["203.0.113.7", TOKEN, { "x-embedkit-control-token": TOKEN }, 200],
    ["127.0.0.1", TOKEN, {}, 401],
  ] as const)("peer %s, token %s, headers %j → %i", async (peer, token, headers, status) => {
    const res = await handleControl(exposedKernel(token), health(peer, headers));
    expect(res.status).toBe(status);
    if (status !== 200) expect(JSON.parse(res.body ?? "{}")).toMatchObject({ statusCode: status });
  });
});

/**
 * CORS, decided per operation: only the unauthenticated ones are called from a browser. For Cube
 * that is the session exchange (the iframe/SDK redeems the session id it was handed:
 * https://docs.cube.dev/api-reference/embed/exchange-a-session-for-an-embed-token). Minting
 * (generate-session, revoke, Explo's generate_jwt, Toucan's generate-token) needs a server-side
 * secret and must never be callable from a page; the control plane gets no CORS at all.
 */
describe("CORS", () => {
  const preflight = (url: string) =>
    fetch(url, {
      method: "OPTIONS",
      headers: {
        origin: "https://app.example.com",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    });

  it("answers the Cube exchange's preflight and its answers, success or error", async () => {
    const { origin } = await listening("cube");
    const url = `${origin}${PATHS.cube.exchange}`;
    const pre = await preflight(url);
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("*");
    expect(pre.headers.get("access-control-allow-methods")).toContain("POST");
    expect(pre.headers.get("access-control-allow-headers")).toContain("content-type");
    expect(pre.headers.get("access-control-allow-credentials")).toBeNull();
    const refused = await fetch(url, {
      method: "POST",
      headers: { origin: "https://app.example.com", "content-type": "application/json" },
      body: JSON.stringify({ sessionId: "0".repeat(32) }),
    });
    expect([refused.status, refused.headers.get("access-control-allow-origin")]).toEqual([401, "*"]);
  });

  it.each([
    ["cube", PATHS.cube.generate],
    ["cube", PATHS.cube.revoke],
    ["explo", PATHS.explo.generate],
    ["toucan", PATHS.toucan.generate],
    ["cube", "/__embedkit/health"],
    ["cube", "/__embedkit/state"],
  ] as const)("%s %s: no preflight, no CORS header", async (provider, path) => {
    const { origin } = await listening(provider);
    const pre = await preflight(`${origin}${path}`);
    expect(pre.status).toBeGreaterThanOrEqual(400);
    expect(pre.headers.get("access-control-allow-origin")).toBeNull();
    const method = path.startsWith("/__embedkit") ? "GET" : "POST";
    const res = await fetch(`${origin}${path}`, {
      method,
      headers: { origin: "https://app.example.com", "content-type": "application/json", ...AUTH[provider] },
      ...(method === "POST" ? { body: JSON.stringify(VALID_BODY[provider]) } : {}),
    });
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });
});

/**
 * Only the developer's own tools: a Host that is not a loopback name, the bound address or an allowed
 * name is refused on every route (DNS rebinding), and the control plane takes JSON from tools only.
 */
describe("the Host allow-list", () => {
  const get = (port: number, path: string, host: string) =>
    rawRequest(port, `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);

  it.each([
    ["127.0.0.1:PORT", 200],
    ["localhost:PORT", 200],
    ["LOCALHOST.", 200],
    ["[::1]:PORT", 200],
    ["app.localhost", 200],
    ["127.1.2.3", 200],
    ["dev.example.test", 200],
    ["a.corp.test:8080", 200],
    ["corp.test", 200],
    ["evil.example", 403],
    ["evil.example:PORT", 403],
    ["127.0.0.1.nip.io", 403],
    ["localhost.evil.com", 403],
    ["notcorp.test", 403],
    ["", 403],
  ])("Host %j → %i on the control plane and on the provider API", async (host, status) => {
    const lines: string[] = [];
    const emu = await createEmulator({
      provider: "cube",
      config: { allowedHosts: ["dev.example.test", ".corp.test"] },
      logger: { log: (level, message) => lines.push(`${level} ${message}`) },
    });
    open.push(emu);
    const { port } = await emu.listen(0);
    const name = host.replace("PORT", String(port));
    const health = await get(port, "/__embedkit/health", name);
    const exchange = await get(port, PATHS.cube.exchange, name);
    expect(health.status).toBe(status);
    if (status === 403) {
      expect(JSON.parse(health.body)).toMatchObject({
        statusCode: 403,
        error: expect.stringContaining("--allowed-host"),
      });
      expect([exchange.status, JSON.parse(exchange.body).statusCode]).toEqual([403, 403]);
      expect(lines.filter((l) => l.startsWith("warn refused Host"))).toHaveLength(1);
      expect(lines[0]).toContain("--allowed-host");
    } else {
      expect(exchange.status).toBe(405);
    }
  });

  it("answers the address it is bound to", () => {
    const guard = new HostGuard([]);
    expect(guard.allows("192.168.1.5:4010")).toBe(false);
    guard.allow("192.168.1.5");
    expect(guard.allows("192.168.1.5:4010")).toBe(true);
    guard.allow("0.0.0.0");
    expect(guard.allows("0.0.0.0")).toBe(false);
  });
});

/** A plain request with any Host header (fetch may not set one), answered whatever its framing. */
function sendWithHost(port: number, method: string, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method, path, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"]), body }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

/**
 * The consuming half (issue 12: embed pages, scripts, the token-consuming APIs and their preflights)
 * sits behind the same guard: a page framed or loaded by a rebinding name gets 403, not the page.
 */
describe("the Host allow-list covers the consuming half", () => {
  it.each([
    ["cube", "GET", "/embed/dashboard/sales-overview?session=x", 200, "text/html"],
    ["cube", "GET", "/embed/d/32/app?session=x", 200, "text/html"],
    ["cube", "GET", "/api/v1/embed/dashboard/sales-overview", 401, "application/json"],
    ["cube", "OPTIONS", "/api/v1/deployments/32", 204, "undefined"],
    ["explo", "GET", "/bundle.js", 200, "text/javascript"],
    ["explo", "GET", "/iframe/not-a-jwt/production", 401, "text/html"],
    ["toucan", "GET", "/embed/embed.js", 200, "text/javascript"],
    ["toucan", "GET", "/api/embed/dashboards/d1", 401, "application/json"],
    ["toucan", "OPTIONS", "/api/embed/dashboards/d1", 204, "undefined"],
  ] as const)(
    "%s %s %s: %i from loopback, 403 from a foreign Host",
    async (provider, method, path, status, type) => {
      const { port } = await listening(provider);
      const preflight: Record<string, string> =
        method === "OPTIONS" ? { origin: "http://127.0.0.1:1", "access-control-request-method": "GET" } : {};
      const own = await sendWithHost(port, method, path, { host: `127.0.0.1:${port}`, ...preflight });
      expect([own.status, own.type.split(";")[0]]).toEqual([status, type]);
      const foreign = await sendWithHost(port, method, path, { host: "rebind.example", ...preflight });
      expect(foreign.status).toBe(403);
      expect(foreign.type).toContain("application/json");
      expect(foreign.body).toContain("--allowed-host");
      expect(foreign.body).not.toMatch(/<html|customElements|Signing in/);
    },
  );
});

describe("the control plane takes JSON from tools only", () => {
  const post = (origin: string, name: string, headers: Record<string, string>, body?: string) =>
    fetch(`${origin}/__embedkit/${name}`, {
      method: "POST",
      headers,
      ...(body === undefined ? {} : { body }),
    });

  it.each([
    ["no content type, no body", {}, undefined, 415],
    ["text/plain", { "content-type": "text/plain" }, "{}", 415],
    ["a form", { "content-type": "application/x-www-form-urlencoded" }, "a=1", 415],
    ["multipart", { "content-type": "multipart/form-data; boundary=x" }, "--x--", 415],
    [
      "JSON from another origin",
      { "content-type": "application/json", origin: "http://127.0.0.1:1" },
      "{}",
      403,
    ],
    ["JSON from an opaque origin", { "content-type": "application/json", origin: "null" }, "{}", 403],
    ["JSON from a tool", { "content-type": "application/json" }, "{}", 200],
  ] as const)("POST reset with %s → %i", async (_what, headers, body, status) => {
    const { origin } = await listening("cube");
    const json = { "content-type": "application/json" };
    expect((await post(origin, "clock", json, '{"advanceSeconds":1}')).status).toBe(200);
    const res = await post(origin, "reset", { ...headers }, body);
    expect(res.status).toBe(status);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    const clock = (await (await fetch(`${origin}/__embedkit/clock`)).json()) as { offsetMs: number };
    expect(clock.offsetMs).toBe(status === 200 ? 0 : 1000);
  });

  it.each([
    [{ origin: "http://127.0.0.1:1" }, 403],
    [{ origin: "http://evil.example" }, 403],
    [{}, 200],
  ])("GET state with %j → %i", async (headers, status) => {
    const { origin } = await listening("cube");
    expect((await fetch(`${origin}/__embedkit/state`, { headers })).status).toBe(status);
  });

  it("answers a page on its own origin", async () => {
    const { origin } = await listening("cube");
    const res = await fetch(`${origin}/__embedkit/state`, { headers: { origin } });
    expect(res.status).toBe(200);
  });
});

describe("the preflight of the calls a browser makes (the Cube exchange)", () => {
  it.each([
    ["content-type, x-cube-sdk-version", "content-type, x-cube-sdk-version"],
    ["content-type", "content-type"],
    ["authorization", "authorization"],
    ["a b", "authorization, content-type"],
    ["x".repeat(2000), "authorization, content-type"],
  ])("asked for %j, allows %j", async (asked, allowed) => {
    const { origin } = await listening("cube");
    const answer = await fetch(`${origin}${PATHS.cube.exchange}`, {
      method: "OPTIONS",
      headers: {
        origin: "https://app.example.com",
        "access-control-request-method": "POST",
        "access-control-request-headers": asked,
      },
    });
    expect(answer.status).toBe(204);
    expect(answer.headers.get("access-control-allow-headers")).toBe(allowed);
  });
});
