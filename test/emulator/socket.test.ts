import { connect } from "node:net";
import { jwtDecrypt, jwtVerify } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import { createCubeClient, createExploClient, createToucanClient } from "../../src/clients/index.js";
import { createEmulator, type Emulator } from "../../src/emulator/index.js";

const open: Emulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});

async function listening(
  provider: "cube" | "explo" | "toucan",
  config?: Record<string, unknown>,
  host?: string,
) {
  const emu = await createEmulator({ provider, ...(config ? { config } : {}) });
  open.push(emu);
  await emu.listen(0, host);
  return emu;
}

describe("full flows over a loopback socket", () => {
  it("cube: plain fetch and the typed client create, exchange once, decode", async () => {
    const emu = await listening("cube");
    expect(emu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api$/);
    const res = await fetch(`${emu.url}/v1/embed/generate-session`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Api-Key ek_cube_admin_dev" },
      body: JSON.stringify({ deploymentId: 32, externalId: "user@example.com" }),
    });
    expect(res.status).toBe(200);
    const client = createCubeClient({ baseUrl: emu.url as string, apiKey: "ek_cube_admin_dev" });
    const created = await client.POST("/v1/embed/generate-session", {
      body: { deploymentId: 32, externalId: "u@x.io" },
    });
    const sessionId = created.data?.sessionId as string;
    const first = await client.POST("/v1/embed/session/token", { body: { sessionId } });
    const second = await client.POST("/v1/embed/session/token", { body: { sessionId } });
    expect(first.response.status).toBe(200);
    expect(second.response.status).toBe(401);
    const key = new TextEncoder().encode("cube-dev-embed-secret-0123456789abcdef");
    const { payload } = await jwtVerify(first.data?.token as string, key, { issuer: "cubecloud" });
    expect(payload).toMatchObject({ sid: sessionId, externalId: "u@x.io", deploymentId: 32 });
  });

  it("explo: the docs' request through the typed client", async () => {
    const emu = await listening("explo");
    const client = createExploClient({ baseUrl: emu.url as string, token: "ek_explo_dev_token" });
    const { data, response } = await client.POST("/api/generate_jwt/", {
      body: {
        provided_id: "customer_1",
        embed_id: "abcde",
        expiration: "PT1H",
        key_id: "aa111111-1a11-111a-aa11-1aaaa11a1a11",
      },
    });
    expect(response.status).toBe(200);
    const { payload } = await jwtDecrypt(
      data?.jwt as string,
      new TextEncoder().encode("explo-dev-embed-secret-32-bytes!"),
    );
    expect(payload).toMatchObject({ cst: "customer_1", dsh: "abcde" });
  });

  it("toucan: the docs' request through the typed client", async () => {
    const emu = await listening("toucan");
    const client = createToucanClient({ baseUrl: emu.url as string, apiKey: "ek_toucan_dev_key" });
    const { data } = await client.POST("/embed/generate-token", {
      body: { user: { distinctId: "user-123", role: "explorer", attributes: {} } },
    });
    expect(data?.expiresIn).toBe("1h");
    const { payload } = await jwtDecrypt(
      data?.token as string,
      Buffer.from("toucan-dev-key-material-32bytes!"),
    );
    expect(payload.sub).toBe("user-123");
  });
});

describe("the socket server under hostile input", () => {
  it("answers an unknown method and broken HTTP with an envelope, and stays up", async () => {
    const emu = await listening("toucan");
    const port = Number(new URL(emu.url as string).port);
    const raw = await new Promise<string>((resolve) => {
      const socket = connect(port, "127.0.0.1", () =>
        socket.write("BREW /embed/generate-token HTTP/1.1\r\nHost: x\r\n\r\n"),
      );
      let data = "";
      socket.on("data", (d) => {
        data += d;
      });
      socket.on("close", () => resolve(data));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    expect(raw).toContain('"code":"INVALID_REQUEST"');
    expect((await fetch(`${emu.origin}/__embedkit/health`)).status).toBe(200);
  });

  it("answers 413 in the envelope for a body over the limit", async () => {
    const emu = await listening("cube", { bodyLimitBytes: 1024 });
    const res = await fetch(`${emu.url}/v1/embed/generate-session`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Api-Key ek_cube_admin_dev" },
      body: JSON.stringify({ deploymentId: 32, pad: "x".repeat(4096) }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ statusCode: 413 });
  });

  it("guards the control plane beyond loopback: 401 without the token, 403 when wrong", async () => {
    const token = "a-control-token-of-some-length";
    const emu = await listening("explo", { controlToken: token }, "0.0.0.0");
    const base = `http://127.0.0.1:${new URL(emu.origin as string).port}/__embedkit/state`;
    expect((await fetch(base)).status).toBe(401);
    expect((await fetch(base, { headers: { "x-embedkit-control-token": "wrong-wrong-wrong" } })).status).toBe(
      403,
    );
    expect((await fetch(base, { headers: { "x-embedkit-control-token": token } })).status).toBe(200);
  });
});
