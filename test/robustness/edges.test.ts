import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { ConfigError, createEmulator } from "../../src/emulator/index.js";
import { encryptCompactJwe } from "../../src/tokens/index.js";
import { AUTH, call, control, PATHS, VALID_BODY } from "../emulator/helpers.js";

/** The smaller holes: each was a 500, a silent surprise or a way around a check. */
describe("config values are range-checked at start-up, with the path of the bad field", () => {
  it.each([
    ["cube", { sessionTtlSeconds: 1e13 }, "config.sessionTtlSeconds"],
    ["cube", { tokenTtlSeconds: 1e13 }, "config.tokenTtlSeconds"],
    ["cube", { maxActiveSessions: 1e12 }, "config.maxActiveSessions"],
    ["cube", { maxExternalUsers: 1e12 }, "config.maxExternalUsers"],
    ["explo", { defaultExpirationSeconds: 1e13 }, "config.defaultExpirationSeconds"],
    ["toucan", { tokenTtlSeconds: 1e13 }, "config.tokenTtlSeconds"],
    ["cube", { allowedHosts: ["bad host"] as string[] }, "config.allowedHosts[0]"],
  ] as const)("%s %j → ConfigError at %s", async (provider, config, path) => {
    const error = await createEmulator({ provider, config }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).path).toBe(path);
  });

  it("the largest allowed lifetime still gives dates that state can show", async () => {
    const emu = await createEmulator({ provider: "cube", config: { sessionTtlSeconds: 10 * 365 * 86_400 } });
    expect((await call(emu, PATHS.cube.generate, VALID_BODY.cube, AUTH.cube)).status).toBe(200);
    expect((await control(emu, "state")).status).toBe(200);
  });
});

describe("Explo's expiration", () => {
  it.each([
    ["P999999Y", 400],
    ["PT99999999999999999999S", 400],
    ["P9999Y9999M9999W9999DT9999H9999M9999S", 200],
    ["P9Y", 200],
  ])("%s → %i, and a minted token always has a numeric exp", async (expiration, status) => {
    const emu = await createEmulator({ provider: "explo" });
    const res = await call(emu, PATHS.explo.generate, { ...VALID_BODY.explo, expiration }, AUTH.explo);
    expect(res.status).toBe(status);
    if (status === 400) expect(res.body.error).toContain("body.expiration: must match pattern");
    else
      expect((await control(emu, "introspect", { token: res.body.jwt })).body).toMatchObject({ valid: true });
  });
});

describe("introspection refuses a token without exp, even one signed with the right key", () => {
  it("cube (JWS)", async () => {
    const emu = await createEmulator({ provider: "cube" });
    const key = new TextEncoder().encode("cube-dev-embed-secret-0123456789abcdef");
    const token = await new SignJWT({ sid: "x" })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer("cubecloud")
      .sign(key);
    expect((await control(emu, "introspect", { token })).body).toMatchObject({ valid: false });
  });

  it.each(["explo", "toucan"] as const)("%s (JWE)", async (provider) => {
    const emu = await createEmulator({ provider });
    const [kid, key] = Object.entries(emu.credentials.tokenKeys)[0] as [string, string];
    const bytes = Buffer.from(key.replace(/^base64url:/, ""), "base64url");
    const token = encryptCompactJwe({ alg: "dir", enc: "A256GCM", kid }, JSON.stringify({ sub: "x" }), bytes);
    expect((await control(emu, "introspect", { token })).body).toMatchObject({ valid: false });
  });
});

describe("Prefer: code= may force an error, never skip authentication", () => {
  it.each([
    ["code=200", {}, 401],
    ["code=200", AUTH.cube, 200],
    ["code=429", {}, 429],
    ["code=403", AUTH.cube, 403],
  ])("Prefer: %s with %j → %i", async (prefer, auth, status) => {
    const emu = await createEmulator({ provider: "cube" });
    const res = await call(emu, PATHS.cube.generate, VALID_BODY.cube, { ...auth, prefer });
    expect(res.status).toBe(status);
  });

  it("a 200 fault does not skip it either", async () => {
    const emu = await createEmulator({ provider: "cube" });
    await control(emu, "faults", { operationId: "generateSession", status: 200 });
    expect((await call(emu, PATHS.cube.generate, VALID_BODY.cube)).status).toBe(401);
  });
});

describe("the journal's ?limit", () => {
  it.each([
    ["limit=0", 200, 0],
    ["limit=1", 200, 1],
    ["limit=-1", 400, undefined],
    ["limit=x", 400, undefined],
  ])("%s → %i", async (query, status, count) => {
    const emu = await createEmulator({ provider: "cube" });
    await call(emu, PATHS.cube.generate, VALID_BODY.cube, AUTH.cube);
    await call(emu, PATHS.cube.generate, VALID_BODY.cube, AUTH.cube);
    const res = await call(emu, `/__embedkit/requests?${query}`, undefined, {}, "GET");
    expect(res.status).toBe(status);
    if (count !== undefined) expect((res.body.requests as unknown[]).length).toBe(count);
  });
});
