import { decodeJwt } from "jose";
import { beforeEach, describe, expect, it } from "vitest";
import { createCubeClient } from "../../src/clients/index.js";
import type { Emulator } from "../../src/emulator/index.js";
import { AUTH, call, control, emulator, type manualClock, PATHS } from "./helpers.js";

/** The calls Cube's Embed SDK and the embed iframe make with `Authorization: Embed-Token <token>`. */
let emu: Emulator;
let clock: ReturnType<typeof manualClock>;

beforeEach(async () => {
  ({ emu, clock } = await emulator("cube"));
});

async function session(body: Record<string, unknown> = { deploymentId: 32, externalId: "ada" }) {
  const created = await call(emu, PATHS.cube.generate, body, AUTH.cube);
  const sessionId = created.body.sessionId as string;
  const exchanged = await call(emu, PATHS.cube.exchange, { sessionId });
  return { sessionId, token: exchanged.body.token as string };
}

const embedToken = (token: string) => ({ authorization: `Embed-Token ${token}` });

describe("Embed-Token calls", () => {
  const cases: [string, string, string, unknown, number][] = [
    ["its own deployment", "GET", "/api/v1/deployments/32", undefined, 200],
    ["another deployment", "GET", "/api/v1/deployments/33", undefined, 403],
    [
      "an embeddable dashboard of its deployment",
      "GET",
      "/api/v1/embed/dashboard/sales-overview",
      undefined,
      200,
    ],
    [
      "a dashboard without signed embedding",
      "GET",
      "/api/v1/embed/dashboard/finance-internal",
      undefined,
      403,
    ],
    [
      "a dashboard of another deployment (not visible)",
      "GET",
      "/api/v1/embed/dashboard/ops-overview",
      undefined,
      404,
    ],
    ["an unknown dashboard", "GET", "/api/v1/embed/dashboard/nope", undefined, 404],
    ["a token with expiresIn 60", "POST", "/api/v1/deployments/32/token", { expiresIn: 60 }, 200],
    ["a token with expiresIn 86400", "POST", "/api/v1/deployments/32/token", { expiresIn: 86_400 }, 200],
    ["a token with expiresIn 59", "POST", "/api/v1/deployments/32/token", { expiresIn: 59 }, 400],
    ["a token with expiresIn 86401", "POST", "/api/v1/deployments/32/token", { expiresIn: 86_401 }, 400],
    ["a token for another deployment", "POST", "/api/v1/deployments/33/token", {}, 403],
  ];
  it.each(cases)("%s: %s %s %j → %i", async (_what, method, path, body, status) => {
    const { token } = await session();
    const res = await call(emu, path, body, embedToken(token), method);
    expect(res.status, res.text).toBe(status);
    // Browsers call these cross-origin (the Embed SDK in the host page): every answer carries CORS.
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("mints a Cube API token that lives expiresIn seconds (86400 by default) and carries the security context", async () => {
    const { token } = await session({
      deploymentId: 32,
      externalId: "ada",
      securityContext: { tenant: "t1" },
    });
    for (const [body, seconds] of [
      [{ expiresIn: 600 }, 600],
      [undefined, 86_400],
    ] as const) {
      const res = await call(emu, "/api/v1/deployments/32/token", body, embedToken(token));
      const claims = decodeJwt(res.body.cubeApiToken as string);
      expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(seconds);
      expect(claims).toMatchObject({ tenant: "t1", deploymentId: 32 });
    }
  });

  it("refuses the token of a revoked session with 401, as Cube documents", async () => {
    const { sessionId, token } = await session();
    expect((await call(emu, "/api/v1/deployments/32", undefined, embedToken(token), "GET")).status).toBe(200);
    await call(emu, PATHS.cube.revoke, { sessionId }, AUTH.cube);
    const res = await call(emu, "/api/v1/deployments/32", undefined, embedToken(token), "GET");
    expect(res.status).toBe(401);
    expect(res.body.message).toMatch(/revoked/);
    expect((await call(emu, "/api/v1/deployments/32/token", {}, embedToken(token))).status).toBe(401);
  });

  it("refuses an expired token (the clock moved past 24 h) and a forged one", async () => {
    const { token } = await session();
    clock.advance(86_400);
    expect((await call(emu, "/api/v1/deployments/32", undefined, embedToken(token), "GET")).status).toBe(401);
    const forged = `${token.slice(0, -4)}AAAA`;
    expect((await call(emu, "/api/v1/deployments/32", undefined, embedToken(forged), "GET")).status).toBe(
      401,
    );
  });

  it("lets an admin key read them too, within its scope", async () => {
    const get = (path: string, key: string) =>
      call(emu, path, undefined, { authorization: `Api-Key ${key}` }, "GET");
    expect((await get("/api/v1/deployments/32", "ek_cube_admin_dev")).status).toBe(200);
    expect((await get("/api/v1/deployments/32", "ek_cube_scoped_dev")).status).toBe(403);
    expect((await get("/api/v1/deployments/99", "ek_cube_admin_dev")).status).toBe(404);
    expect((await get("/api/v1/embed/dashboard/ops-overview", "ek_cube_admin_dev")).status).toBe(200);
    expect((await get("/api/v1/deployments/32", "ek_cube_member_dev")).status).toBe(403);
  });

  it("answers the browser's preflight with Authorization allowed; generate-session answers no CORS", async () => {
    const asks = { origin: "http://127.0.0.1:5173", "access-control-request-headers": "authorization" };
    const pre = await call(emu, "/api/v1/deployments/32/token", undefined, asks, "OPTIONS");
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-headers")).toMatch(/authorization/);
    const admin = await call(emu, PATHS.cube.generate, undefined, {}, "OPTIONS");
    expect(admin.status).toBe(405);
    expect(admin.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("works through the typed client with embedToken", async () => {
    const { token } = await session();
    const fetch = (r: Request) => emu.fetch(r);
    const sdk = createCubeClient({ baseUrl: "http://emulator.test/api", embedToken: token, fetch });
    const { data } = await sdk.GET("/v1/deployments/{deploymentId}", {
      params: { path: { deploymentId: 32 } },
    });
    expect(data).toMatchObject({ id: 32, creationStep: "done" });
    const minted = await sdk.POST("/v1/deployments/{deploymentId}/token", {
      params: { path: { deploymentId: 32 } },
      body: { expiresIn: 120 },
    });
    expect(typeof minted.data?.cubeApiToken).toBe("string");
    expect(() => createCubeClient({ baseUrl: "http://x", embedToken: "" })).toThrow(
      /"embedToken" is required/,
    );
  });
});

describe("embed pages under the control plane", () => {
  it("serves each documented URL form as a page, journaled without the session id", async () => {
    for (const path of [
      "/embed/dashboard/sales-overview",
      "/embed/chat",
      "/embed/d/32/app",
      "/embed/d/32/chat",
      "/embed/d/32/dashboard/x",
    ]) {
      const res = await emu.fetch(
        new Request(`http://emulator.test${path}?session=0123456789abcdef0123456789abcdef`),
      );
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    }
    const journal = await control(emu, "requests");
    expect(JSON.stringify(journal.body)).not.toContain("0123456789abcdef0123456789abcdef");
    expect((await emu.fetch(new Request("http://emulator.test/embed/elsewhere"))).status).toBe(404);
  });

  it("injects a fault on a page route by its id, and names the page routes when the id is wrong", async () => {
    expect((await control(emu, "faults", { operationId: "embed:chat", status: 503, count: 1 })).status).toBe(
      200,
    );
    expect((await emu.fetch(new Request("http://emulator.test/embed/chat"))).status).toBe(503);
    expect((await emu.fetch(new Request("http://emulator.test/embed/chat"))).status).toBe(200);
    const wrong = await control(emu, "faults", { operationId: "nope", status: 503 });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain("embed:dashboard");
  });
});
