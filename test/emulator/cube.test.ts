import { base64url, decodeProtectedHeader, jwtVerify, SignJWT } from "jose";
import { beforeEach, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.js";
import { AUTH, call, control, emulator, type manualClock, PATHS, T0 } from "./helpers.js";

const SECRET = new TextEncoder().encode("cube-dev-embed-secret-0123456789abcdef");
const admin = AUTH.cube;

let emu: Emulator;
let clock: ReturnType<typeof manualClock>;

beforeEach(async () => {
  ({ emu, clock } = await emulator("cube"));
});

async function session(body: Record<string, unknown> = { deploymentId: 32, externalId: "a@b.c" }) {
  const res = await call(emu, PATHS.cube.generate, body, admin);
  expect(res.status).toBe(200);
  return res.body.sessionId as string;
}

const exchange = (sessionId: string) => call(emu, PATHS.cube.exchange, { sessionId });

describe("cube generate-session rules", () => {
  it.each([
    [
      "Api-Key admin key",
      200,
      { authorization: "Api-Key ek_cube_admin_dev" },
      { deploymentId: 32, externalId: "user@example.com" },
    ],
    [
      "Bearer admin key",
      200,
      { authorization: "Bearer ek_cube_admin_dev" },
      { deploymentId: 32, externalId: "user@example.com" },
    ],
    ["no credential", 401, {}, { deploymentId: 32, externalId: "user@example.com" }],
    [
      "malformed credential",
      401,
      { authorization: "ek_cube_admin_dev" },
      { deploymentId: 32, externalId: "user@example.com" },
    ],
    [
      "unknown key",
      401,
      { authorization: "Api-Key nope-nope-nope" },
      { deploymentId: 32, externalId: "user@example.com" },
    ],
    [
      "Embed-Token with a key is not an admin credential",
      401,
      { authorization: "Embed-Token ek_cube_admin_dev" },
      { deploymentId: 32, externalId: "user@example.com" },
    ],
    [
      "non-admin key",
      403,
      { authorization: "Api-Key ek_cube_member_dev" },
      { deploymentId: 32, externalId: "user@example.com" },
    ],
    [
      "key scoped to 33 asking for 32",
      403,
      { authorization: "Api-Key ek_cube_scoped_dev" },
      { deploymentId: 32, externalId: "user@example.com" },
    ],
    [
      "key scoped to 33 asking for 33",
      200,
      { authorization: "Api-Key ek_cube_scoped_dev" },
      { deploymentId: 33, externalId: "user@example.com" },
    ],
    ["embedding disabled", 403, admin, { deploymentId: 34, externalId: "user@example.com" }],
    ["unknown deployment", 404, admin, { deploymentId: 99, externalId: "user@example.com" }],
    ["unknown branch", 404, admin, { deploymentId: 32, branchName: "feature-x" }],
    ["known branch", 200, admin, { deploymentId: 32, externalId: "user@example.com", branchName: "main" }],
    [
      "duplicate attribute names",
      400,
      admin,
      {
        deploymentId: 32,
        userAttributes: [
          { name: "city", value: "a" },
          { name: "city", value: "b" },
        ],
      },
    ],
    ["schema problem", 400, admin, { deploymentId: "32" }],
    ["missing deploymentId", 400, admin, { externalId: "x" }],
    [
      "unknown extra properties tolerated",
      200,
      admin,
      { deploymentId: 32, externalId: "user@example.com", tenantId: 1, tenantName: "demo" },
    ],
  ])("%s → %i", async (_name, status, headers, body) => {
    const res = await call(emu, PATHS.cube.generate, body, headers);
    expect(res.status).toBe(status);
    if (status === 200) expect(res.body.sessionId).toMatch(/^[0-9a-f]{32}$/);
    else expect(res.body).toMatchObject({ statusCode: status, error: expect.any(String) });
  });

  it("says where a schema problem is, readably", async () => {
    const res = await call(
      emu,
      PATHS.cube.generate,
      { deploymentId: 32, userAttributes: [{ name: 7 }] },
      admin,
    );
    expect(res.body.message).toEqual(["body.userAttributes[0].name: must be string"]);
  });

  it("upserts external users by trimmed lower-case externalId", async () => {
    await session({ deploymentId: 32, externalId: "  Ada@Example.COM " });
    await session({ deploymentId: 32, externalId: "ada@example.com" });
    const state = await control(emu, "state");
    expect(state.body.counts).toMatchObject({ users: 1, activeSessions: 2 });
  });

  it("refuses the user beyond the account limit with the spec's 429, and still serves existing users", async () => {
    ({ emu } = await emulator("cube", { maxExternalUsers: 3 }));
    for (const id of ["a", "b", "c"]) await session({ deploymentId: 32, externalId: id });
    const over = await call(emu, PATHS.cube.generate, { deploymentId: 32, externalId: "d" }, admin);
    expect(over.status).toBe(429);
    expect((await call(emu, PATHS.cube.generate, { deploymentId: 32, externalId: "A" }, admin)).status).toBe(
      200,
    );
  });

  it("holds the user limit exactly under concurrent creation", async () => {
    ({ emu } = await emulator("cube", { maxExternalUsers: 50 }));
    const results = await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        call(emu, PATHS.cube.generate, { deploymentId: 32, externalId: `u${i}` }, admin),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(50);
    expect(results.filter((r) => r.status === 429)).toHaveLength(70);
  });
});

describe("cube session exchange", () => {
  it("mints an HS256 JWS with iss cubecloud, 24 h to the second, carrying what was asked", async () => {
    const body = {
      deploymentId: 32,
      externalId: " Ada@Example.com",
      email: "ada@example.com",
      groups: ["analysts"],
      roles: ["viewer"],
      userAttributes: [{ name: "department", value: "Sales" }],
      securityContext: { tenant: 7 },
      settings: { locale: "fr-FR" },
      embedTenantName: "acme-corp",
      tenantGroups: ["analysts"],
      creatorMode: true,
      userProfile: { displayName: "Ada" },
    };
    const sid = await session(body);
    clock.advance(10);
    const res = await exchange(sid);
    expect(res.status).toBe(200);
    const token = res.body.token as string;
    const { payload, protectedHeader } = await jwtVerify(token, SECRET, {
      algorithms: ["HS256"],
      issuer: "cubecloud",
      currentDate: new Date(clock.now()),
    });
    expect(protectedHeader.alg).toBe("HS256");
    const iat = Math.floor(clock.now() / 1000);
    expect(payload).toMatchObject({
      sid,
      iat,
      exp: iat + 86_400,
      deploymentId: 32,
      externalId: "ada@example.com",
      email: "ada@example.com",
      groups: ["analysts"],
      roles: ["viewer"],
      userAttributes: [{ name: "department", value: "Sales" }],
      securityContext: { tenant: 7 },
      settings: { locale: "fr-FR" },
      embedTenantName: "acme-corp",
      tenantGroups: ["analysts"],
      creatorMode: true,
      userProfile: { displayName: "Ada" },
    });
    expect(payload.jti).toMatch(/^[0-9a-f]{32}$/);
    expect(payload).not.toHaveProperty("internalId");
  });

  it("redeems a session exactly once under 200 concurrent exchanges", async () => {
    const sid = await session();
    const results = await Promise.all(Array.from({ length: 200 }, () => exchange(sid)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 401)).toHaveLength(199);
  });

  it.each([
    ["299 s old", 299, 200],
    ["5 min + 1 s old", 301, 401],
  ])("a session %s (%i s) → %i", async (_name, seconds, status) => {
    const sid = await session();
    clock.advance(seconds);
    expect((await exchange(sid)).status).toBe(status);
  });

  it.each([
    ["unknown", "0123456789abcdef0123456789abcdef"],
    ["not hex at all", "hello"],
  ])("refuses an %s session id with 401", async (_name, sid) => {
    const res = await exchange(sid);
    expect(res.status).toBe(401);
    expect(res.body.statusCode).toBe(401);
  });

  it("answers CORS for the browser-side exchange only", async () => {
    const res = await exchange(await session());
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const gen = await call(
      emu,
      PATHS.cube.generate,
      { deploymentId: 32, externalId: "user@example.com" },
      admin,
    );
    expect(gen.headers.get("access-control-allow-origin")).toBeNull();
    const pre = await call(emu, PATHS.cube.exchange, undefined, {}, "OPTIONS");
    expect(pre.status).toBe(204);
  });
});

describe("cube revoke and introspection", () => {
  it("revoke answers 204 for any well-formed id, and a revoked session cannot be exchanged", async () => {
    const sid = await session();
    expect((await call(emu, PATHS.cube.revoke, { sessionId: sid }, admin)).status).toBe(204);
    expect((await call(emu, PATHS.cube.revoke, { sessionId: sid }, admin)).status).toBe(204);
    expect((await call(emu, PATHS.cube.revoke, { sessionId: "f".repeat(32) }, admin)).status).toBe(204);
    expect((await call(emu, PATHS.cube.revoke, { sessionId: "xyz" }, admin)).status).toBe(400);
    expect(
      (
        await call(
          emu,
          PATHS.cube.revoke,
          { sessionId: sid },
          { authorization: "Api-Key ek_cube_member_dev" },
        )
      ).status,
    ).toBe(403);
    expect((await exchange(sid)).status).toBe(401);
  });

  it("a token introspects valid, then revoked after its session is revoked", async () => {
    const sid = await session();
    const token = (await exchange(sid)).body.token as string;
    expect((await control(emu, "introspect", { token })).body).toMatchObject({
      valid: true,
      claims: { sid },
    });
    await call(emu, PATHS.cube.revoke, { sessionId: sid }, admin);
    expect((await control(emu, "introspect", { token })).body).toMatchObject({
      valid: false,
      reason: "revoked",
    });
  });

  it("a token past 24 h introspects as expired, one second before as valid", async () => {
    const token = (await exchange(await session())).body.token as string;
    clock.advance(86_399);
    expect((await control(emu, "introspect", { token })).body.valid).toBe(true);
    clock.advance(1);
    expect((await control(emu, "introspect", { token })).body).toMatchObject({
      valid: false,
      reason: "expired",
    });
  });

  it.each([
    ["tampered payload", "tampered"],
    ["tampered signature", "tampered"],
    ["alg none", "tampered"],
    ["signed with another key", "wrong-key"],
    ["malformed", "malformed"],
  ])("%s → %s", async (kind, reason) => {
    const token = (await exchange(await session())).body.token as string;
    const [h, p, s] = token.split(".") as [string, string, string];
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(p)));
    const enc = (o: unknown) => base64url.encode(JSON.stringify(o));
    const forged: Record<string, () => Promise<string> | string> = {
      "tampered payload": () => `${h}.${enc({ ...claims, deploymentId: 33 })}.${s}`,
      "tampered signature": () => `${h}.${p}.${s.slice(0, -4)}AAAA`,
      "alg none": () => `${enc({ alg: "none", typ: "JWT" })}.${p}.`,
      "signed with another key": () =>
        new SignJWT({ ...claims, jti: "other" })
          .setProtectedHeader({ alg: "HS256" })
          .sign(new TextEncoder().encode("x".repeat(40))),
      malformed: () => "not-a-token",
    };
    const res = await control(emu, "introspect", { token: await forged[kind]?.() });
    expect(res.body).toMatchObject({ valid: false, reason });
  });

  it("an embed token is not an admin credential (403), a forged one is no credential (401)", async () => {
    const token = (await exchange(await session())).body.token as string;
    expect(decodeProtectedHeader(token).alg).toBe("HS256");
    const asEmbed = await call(
      emu,
      PATHS.cube.generate,
      { deploymentId: 32, externalId: "user@example.com" },
      { authorization: `Embed-Token ${token}` },
    );
    expect(asEmbed.status).toBe(403);
    const forged = await call(
      emu,
      PATHS.cube.generate,
      { deploymentId: 32, externalId: "user@example.com" },
      { authorization: `Embed-Token ${token}x` },
    );
    expect(forged.status).toBe(401);
  });

  it("uses the injected clock for session expiry in state", async () => {
    await session();
    const state = await control(emu, "state");
    const [first] = state.body.sessions as { createdAt: string; expiresAt: string }[];
    expect(first?.createdAt).toBe(new Date(T0).toISOString());
    expect(first?.expiresAt).toBe(new Date(T0 + 300_000).toISOString());
  });
});
