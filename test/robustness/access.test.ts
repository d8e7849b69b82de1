import { afterEach, describe, expect, it } from "vitest";
import { createEmulator, type Emulator } from "../../src/emulator/index.js";
import { AdjustableClock, systemClock } from "../../src/emulator/kit/clock.js";
import { handleControl } from "../../src/emulator/pipeline/control-plane.js";
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
        headers,
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
