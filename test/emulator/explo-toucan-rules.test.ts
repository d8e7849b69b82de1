import { base64url, decodeProtectedHeader, jwtDecrypt, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { AUTH, call, control, emulator, isEnvelope, PATHS, VALID_BODY } from "./helpers.js";

/**
 * The choices Explo and Toucan leave to us (providers.md §2, §3, §4): each is marked in the spec
 * with an x-embedkit-* note, and where it changes behaviour a config key switches it.
 */
const EXPLO_KEY = new TextEncoder().encode("explo-dev-embed-secret-32-bytes!");
const TOUCAN_KEY = base64url.decode(Buffer.from("toucan-dev-key-material-32bytes!").toString("base64url"));

describe("explo: paths", () => {
  it.each([
    ["the documented path", "/api/generate_jwt/", {}, 200],
    ["without the trailing slash, as public clients call it", "/api/generate_jwt", {}, 200],
    ["pathAliases false serves only the documented path", "/api/generate_jwt", { pathAliases: false }, 404],
    ["pathAliases false keeps the documented path", "/api/generate_jwt/", { pathAliases: false }, 200],
  ])("%s", async (_name, path, config, status) => {
    const { emu } = await emulator("explo", config);
    const res = await call(emu, path, VALID_BODY.explo, AUTH.explo);
    expect(res.status).toBe(status);
    if (status === 200) expect(res.body.success).toBe(1);
    else expect(isEnvelope("explo", res.body, status)).toBe(true);
  });

  it("the alias is the same operation: validated, refused and journaled as generateJwt", async () => {
    const { emu } = await emulator("explo");
    const res = await call(emu, "/api/generate_jwt", { provided_id: "c" }, AUTH.explo);
    expect(res.status).toBe(400);
    const journal = await control(emu, "requests");
    expect(JSON.stringify(journal.body)).toContain('"operationId":"generateJwt"');
  });
});

describe("explo: choices and their switches", () => {
  it.each([
    ["issuerSlash append (default) adds the slash", {}, "https://app.example", "https://app.example/"],
    ["issuerSlash append keeps one slash", {}, "https://app.example/", "https://app.example/"],
    [
      "issuerSlash as-sent carries the origin unchanged",
      { issuerSlash: "as-sent" },
      "https://app.example",
      "https://app.example",
    ],
  ])("%s", async (_name, config, origin, iss) => {
    const { emu, clock } = await emulator("explo", config);
    const res = await call(
      emu,
      PATHS.explo.generate,
      { ...VALID_BODY.explo, embed_origin: origin },
      AUTH.explo,
    );
    const { payload } = await jwtDecrypt(res.body.jwt as string, EXPLO_KEY, {
      currentDate: new Date(clock.now()),
    });
    expect(payload.iss).toBe(iss);
  });

  it.each([
    [
      "statuses.readOnlyToken",
      { statuses: { readOnlyToken: 401 } },
      { "explo-authorization": "Token ek_explo_readonly_dev" },
      {},
      401,
    ],
    ["a read-only token (default)", {}, { "explo-authorization": "Token ek_explo_readonly_dev" }, {}, 403],
    ["statuses.unknownKeyId", { statuses: { unknownKeyId: 400 } }, AUTH.explo, { key_id: "nope" }, 400],
    ["an unknown key_id (default)", {}, AUTH.explo, { key_id: "nope" }, 404],
    [
      "an rb_allowed_features name Explo does not list",
      {},
      AUTH.explo,
      { rb_allowed_features: ["export"] },
      400,
    ],
    ["an embed_origin that is not a URI", {}, AUTH.explo, { embed_origin: "your-website" }, 400],
  ])("%s", async (_name, config, headers, extra, status) => {
    const { emu } = await emulator("explo", config);
    const res = await call(emu, PATHS.explo.generate, { ...VALID_BODY.explo, ...extra }, headers);
    expect(res.status).toBe(status);
    expect(isEnvelope("explo", res.body, status)).toBe(true);
  });

  it("without key_id the default embed secret encrypts, and kid names it (defaultKeyId)", async () => {
    const other = "other-key-material-of-32-bytes!!";
    const { emu, clock } = await emulator("explo", {
      embedSecrets: [
        { keyId: "aa111111-1a11-111a-aa11-1aaaa11a1a11", secret: "explo-dev-embed-secret-32-bytes!" },
        { keyId: "second", secret: other },
      ],
      defaultKeyId: "second",
    });
    const res = await call(emu, PATHS.explo.generate, VALID_BODY.explo, AUTH.explo);
    expect(decodeProtectedHeader(res.body.jwt as string).kid).toBe("second");
    const opened = await jwtDecrypt(res.body.jwt as string, new TextEncoder().encode(other), {
      currentDate: new Date(clock.now()),
    });
    expect(opened.payload.cst).toBe("customer_1");
  });
});

describe("toucan: token format and paths", () => {
  it("tokenFormat jwe (default): a dir/A256GCM JWE, as Toucan's security page says", async () => {
    const { emu, clock } = await emulator("toucan");
    const res = await call(emu, PATHS.toucan.generate, VALID_BODY.toucan, AUTH.toucan);
    expect((res.body.token as string).split(".")).toHaveLength(5);
    const { protectedHeader } = await jwtDecrypt(res.body.token as string, TOUCAN_KEY, {
      currentDate: new Date(clock.now()),
    });
    expect(protectedHeader).toMatchObject({ alg: "dir", enc: "A256GCM" });
  });

  it("tokenFormat jws: an HS256 JWS like the docs' example token, verified with the key's material", async () => {
    const { emu, clock } = await emulator("toucan", { tokenFormat: "jws" });
    const res = await call(emu, PATHS.toucan.generate, VALID_BODY.toucan, AUTH.toucan);
    const token = res.body.token as string;
    expect(token.startsWith("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9".slice(0, 20))).toBe(true);
    const { payload, protectedHeader } = await jwtVerify(token, TOUCAN_KEY, {
      algorithms: ["HS256"],
      currentDate: new Date(clock.now()),
    });
    expect(protectedHeader).toMatchObject({ alg: "HS256", typ: "JWT", kid: "dev" });
    expect(payload).toMatchObject({ sub: "user-123", role: "explorer", exp: (payload.iat as number) + 3600 });
    expect((await control(emu, "introspect", { token })).body).toMatchObject({ valid: true });
    clock.advance(3600);
    expect((await control(emu, "introspect", { token })).body).toMatchObject({
      valid: false,
      reason: "expired",
    });
    const forged = `${token.slice(0, token.lastIndexOf(".") + 1)}${"A".repeat(43)}`;
    expect((await control(emu, "introspect", { token: forged })).body).toMatchObject({ valid: false });
  });

  it.each([
    ["the current path", "/embed/generate-token", {}, 200],
    ["the older /api/generate-token is off by default", "/api/generate-token", {}, 404],
    [
      "pathAliases true serves the older /api/generate-token",
      "/api/generate-token",
      { pathAliases: true },
      200,
    ],
  ])("%s", async (_name, path, config, status) => {
    const { emu } = await emulator("toucan", config);
    const res = await call(emu, path, VALID_BODY.toucan, AUTH.toucan);
    expect(res.status).toBe(status);
    if (status === 200) expect(res.body.expiresIn).toBe("1h");
    else expect(isEnvelope("toucan", res.body, status)).toBe(true);
  });

  it.each([
    ["a model Toucan does not list", { dashboard: { can_view: true }, billing: { can_view: true } }, 400],
    ["a permission Toucan does not list for the model", { ai: { can_edit: true } }, 400],
    ["the listed shape", { dashboard: { can_view: true, can_edit: false }, ai: { can_query: true } }, 200],
  ])("permissions: %s", async (_name, permissions, status) => {
    const { emu } = await emulator("toucan");
    const res = await call(emu, PATHS.toucan.generate, { ...VALID_BODY.toucan, permissions }, AUTH.toucan);
    expect(res.status).toBe(status);
  });

  it("defaultPermissions replaces the spec's default for a request without permissions", async () => {
    const { emu, clock } = await emulator("toucan", { defaultPermissions: { ai: { can_query: true } } });
    const res = await call(emu, PATHS.toucan.generate, VALID_BODY.toucan, AUTH.toucan);
    const { payload } = await jwtDecrypt(res.body.token as string, TOUCAN_KEY, {
      currentDate: new Date(clock.now()),
    });
    expect(payload.permissions).toEqual({ ai: { can_query: true } });
  });
});
