import { base64url, CompactEncrypt, jwtDecrypt } from "jose";
import { describe, expect, it } from "vitest";
import { loadSpec, specPath } from "../../src/openapi/index.js";
import { AUTH, call, control, emulator, PATHS } from "./helpers.js";

const EXPLO_KEY = new TextEncoder().encode("explo-dev-embed-secret-32-bytes!");
const TOUCAN_KEY = base64url.decode(Buffer.from("toucan-dev-key-material-32bytes!").toString("base64url"));
const DOCS_KID = "aa111111-1a11-111a-aa11-1aaaa11a1a11";

describe("explo generate_jwt", () => {
  it.each([
    ["read-write token", 200, { "explo-authorization": "Token ek_explo_dev_token" }, {}],
    ["missing header", 401, {}, {}],
    ["wrong scheme", 401, { "explo-authorization": "Bearer ek_explo_dev_token" }, {}],
    ["unknown token", 401, { "explo-authorization": "Token nope-nope-nope" }, {}],
    ["read-only token", 403, { "explo-authorization": "Token ek_explo_readonly_dev" }, {}],
    ["unknown key_id", 404, AUTH.explo, { key_id: "00000000-0000-0000-0000-000000000000" }],
    ["malformed duration", 400, AUTH.explo, { expiration: "tomorrow" }],
    ["zero duration", 400, AUTH.explo, { expiration: "PT0S" }],
    ["missing embed_id", 400, AUTH.explo, { embed_id: undefined }],
  ])("%s → %i", async (_name, status, headers, extra) => {
    const { emu } = await emulator("explo");
    const res = await call(
      emu,
      PATHS.explo.generate,
      { provided_id: "c1", embed_id: "abcde", ...extra },
      headers,
    );
    expect(res.status).toBe(status);
    if (status === 200) expect(res.body.success).toBe(1);
    else expect(res.body).toMatchObject({ success: 0, error: expect.any(String) });
  });

  it("mints the docs' example as a dir/A256GCM JWE with Explo's claims, exp from the duration", async () => {
    const { emu, clock } = await emulator("explo");
    const res = await call(
      emu,
      PATHS.explo.generate,
      {
        provided_id: "customer_1",
        embed_id: "abcde",
        expiration: "PT1H",
        key_id: DOCS_KID,
        rb_allowed_features: ["flt", "srt"],
        disable_editable_section_editing: true,
        embed_origin: "https://your-domain.com",
      },
      AUTH.explo,
    );
    expect(res.status).toBe(200);
    const { payload, protectedHeader } = await jwtDecrypt(res.body.jwt as string, EXPLO_KEY, {
      currentDate: new Date(clock.now()),
    });
    expect(protectedHeader).toEqual({ alg: "dir", enc: "A256GCM", kid: DOCS_KID });
    const iat = Math.floor(clock.now() / 1000);
    expect(payload).toEqual({
      cst: "customer_1",
      dsh: "abcde",
      iat,
      exp: iat + 3600,
      rbc: ["flt", "srt"],
      des: true,
      iss: "https://your-domain.com/",
    });
  });

  it("refuses a zero duration in every form, as the spec's pattern says; under a second lives one", async () => {
    // A contract run drew `PT0H` from the old pattern and the emulator refused it: the spec and the
    // emulator must agree on which durations are valid.
    const spec = await loadSpec(specPath("explo"));
    const doc = spec.document as {
      components: { schemas: { GenerateJwtRequest: { properties: { expiration: { pattern: string } } } } };
    };
    const pattern = new RegExp(doc.components.schemas.GenerateJwtRequest.properties.expiration.pattern);
    const { emu, clock } = await emulator("explo");
    const mint = (expiration: string) =>
      call(emu, PATHS.explo.generate, { provided_id: "c", embed_id: "e", expiration }, AUTH.explo);
    for (const zero of ["PT0H", "P0D", "P0Y0M0W0DT0H0M0S", "PT0.0S", "P0.0000Y"]) {
      expect([zero, pattern.test(zero)]).toEqual([zero, false]);
      expect([zero, (await mint(zero)).status]).toEqual([zero, 400]);
    }
    for (const [short, seconds] of [
      ["PT0.5S", 1],
      ["PT0.0001S", 1],
      ["PT1.5S", 2],
      ["P0.1Y", 3_153_600],
    ] as const) {
      expect([short, pattern.test(short)]).toEqual([short, true]);
      const res = await mint(short);
      expect([short, res.status]).toEqual([short, 200]);
      const { payload } = await jwtDecrypt(res.body.jwt as string, EXPLO_KEY, {
        currentDate: new Date(clock.now()),
      });
      expect([short, (payload.exp as number) - (payload.iat as number)]).toEqual([short, seconds]);
    }
  });

  it("defaults to 24 h, omits rbc when null, and expires past its expiration", async () => {
    const { emu, clock } = await emulator("explo");
    const res = await call(
      emu,
      PATHS.explo.generate,
      { provided_id: "c", embed_id: "e", rb_allowed_features: null },
      AUTH.explo,
    );
    const token = res.body.jwt as string;
    const { payload } = await jwtDecrypt(token, EXPLO_KEY, { currentDate: new Date(clock.now()) });
    expect(payload.exp).toBe(Math.floor(clock.now() / 1000) + 86_400);
    expect(payload).not.toHaveProperty("rbc");
    const short = await call(
      emu,
      PATHS.explo.generate,
      { provided_id: "c", embed_id: "e", expiration: "PT90S" },
      AUTH.explo,
    );
    clock.advance(89);
    expect((await control(emu, "introspect", { token: short.body.jwt })).body.valid).toBe(true);
    clock.advance(1);
    expect((await control(emu, "introspect", { token: short.body.jwt })).body).toMatchObject({
      valid: false,
      reason: "expired",
    });
  });

  it("rate-limits 180 a minute per client with Retry-After, and can be switched off", async () => {
    const { emu, clock } = await emulator("explo");
    const body = { provided_id: "c", embed_id: "e" };
    const statuses = [];
    for (let i = 0; i < 181; i++)
      statuses.push((await call(emu, PATHS.explo.generate, body, AUTH.explo)).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(180);
    const limited = await call(emu, PATHS.explo.generate, body, AUTH.explo);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    clock.advance(60);
    expect((await call(emu, PATHS.explo.generate, body, AUTH.explo)).status).toBe(200);
    const off = (await emulator("explo", { rateLimit: { enabled: false } })).emu;
    for (let i = 0; i < 200; i++) await call(off, PATHS.explo.generate, body, AUTH.explo);
    expect((await call(off, PATHS.explo.generate, body, AUTH.explo)).status).toBe(200);
  });
});

describe("toucan generate-token", () => {
  const user = { distinctId: "user-123", role: "explorer", attributes: { location: "Paris" } };

  it.each([
    ["active key", 200, { "x-api-key": "ek_toucan_dev_key" }, { user }],
    ["missing key", 401, {}, { user }],
    ["unknown key", 401, { "x-api-key": "nope-nope-nope" }, { user }],
    ["disabled key", 403, { "x-api-key": "ek_toucan_disabled_dev" }, { user }],
    ["missing user", 400, AUTH.toucan, {}],
    ["unknown permission model", 400, AUTH.toucan, { user, permissions: { billing: {} } }],
  ])("%s → %i", async (_name, status, headers, body) => {
    const { emu } = await emulator("toucan");
    const res = await call(emu, PATHS.toucan.generate, body, headers);
    expect(res.status).toBe(status);
    if (status !== 200)
      expect(res.body).toMatchObject({
        code: expect.stringMatching(/^[A-Z_]+$/),
        message: expect.any(String),
      });
  });

  it("mints a one-hour JWE with user, role, attributes and the default permissions", async () => {
    const { emu, clock } = await emulator("toucan");
    const res = await call(emu, PATHS.toucan.generate, { user }, AUTH.toucan);
    expect(res.body.expiresIn).toBe("1h");
    const { payload, protectedHeader } = await jwtDecrypt(res.body.token as string, TOUCAN_KEY, {
      currentDate: new Date(clock.now()),
    });
    expect(protectedHeader).toMatchObject({ alg: "dir", enc: "A256GCM", kid: "dev" });
    const iat = Math.floor(clock.now() / 1000);
    expect(payload).toEqual({
      sub: "user-123",
      role: "explorer",
      attributes: { location: "Paris" },
      permissions: { dashboard: { can_view: true }, chart: { can_view: true }, ai: { can_query: false } },
      org: "dev-org",
      iat,
      exp: iat + 3600,
    });
    clock.advance(3600);
    expect((await control(emu, "introspect", { token: res.body.token })).body).toMatchObject({
      reason: "expired",
    });
  });

  it.each([
    ["tampered ciphertext", "tampered"],
    ["encrypted with another key", "wrong-key"],
    ["malformed", "malformed"],
  ])("introspect: %s → %s", async (kind, reason) => {
    const { emu } = await emulator("toucan");
    const token = (
      await call(emu, PATHS.toucan.generate, { user, permissions: { ai: { can_query: true } } }, AUTH.toucan)
    ).body.token as string;
    const parts = token.split(".");
    const forged =
      kind === "tampered ciphertext"
        ? [
            ...parts.slice(0, 3),
            `${parts[3]?.startsWith("A") ? "B" : "A"}${parts[3]?.slice(1)}`,
            parts[4],
          ].join(".")
        : kind === "malformed"
          ? "a.b.c"
          : await new CompactEncrypt(new TextEncoder().encode("{}"))
              .setProtectedHeader({ alg: "dir", enc: "A256GCM", kid: "dev" })
              .encrypt(new Uint8Array(32).fill(7));
    expect((await control(emu, "introspect", { token: forged })).body).toMatchObject({
      valid: false,
      reason,
    });
  });
});
