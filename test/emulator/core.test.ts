import { describe, expect, it } from "vitest";
import { ConfigError, createEmulator } from "../../src/emulator/index.js";
import { PROVIDER_IDS } from "../../src/openapi/index.js";
import { AUTH, call, control, emulator, GENERATE_PATH, isEnvelope, PATHS, VALID_BODY } from "./helpers.js";

const SECRETS = [
  "ek_cube_admin_dev",
  "ek_cube_member_dev",
  "cube-dev-embed-secret-0123456789abcdef",
  "ek_explo_dev_token",
  "explo-dev-embed-secret-32-bytes!",
  "ek_toucan_dev_key",
  "dG91Y2FuLWRldi1rZXktbWF0ZXJpYWwtMzJieXRlcyE",
];

describe.each(PROVIDER_IDS)("%s: bad input is a 4xx in the provider's envelope", (provider) => {
  const path = GENERATE_PATH[provider];
  const auth = AUTH[provider];
  it.each([
    ["malformed JSON", 400, path, "{nope", {}, "POST"],
    [
      "wrong content type",
      400,
      path,
      JSON.stringify(VALID_BODY[provider]),
      { "content-type": "text/plain" },
      "POST",
    ],
    ["JSON that is not an object", 400, path, "[1,2]", {}, "POST"],
    ["empty body", 400, path, "", {}, "POST"],
    ["invalid UTF-8", 400, path, Buffer.from([0x7b, 0xff, 0x7d]), {}, "POST"],
    ["unknown path", 404, "/nope/../etc", "{}", {}, "POST"],
    ["encoded slash", 404, path.replace(/\/([^/]+)\/?$/, "%2F$1"), "{}", {}, "POST"],
    ["wrong method", 405, path, undefined, {}, "GET"],
    ["body over the limit", 413, path, JSON.stringify({ pad: "x".repeat(2 * 1024 * 1024) }), {}, "POST"],
  ])("%s → %i", async (_name, status, p, body, headers, method) => {
    const { emu } = await emulator(provider);
    const init: RequestInit = {
      method,
      headers: { "content-type": "application/json", ...auth, ...headers },
    };
    if (body !== undefined) init.body = body as string;
    const res = await emu.fetch(new Request(`http://emulator.test${p}`, init));
    expect(res.status).toBe(status);
    expect(isEnvelope(provider, (await res.json()) as Record<string, unknown>, status)).toBe(true);
  });

  it("does not pollute prototypes with __proto__ keys", async () => {
    const { emu } = await emulator(provider);
    const body = `{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}`;
    const res = await call(emu, path, body, auth);
    expect(res.status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("steers with Prefer: code= to a declared status with a valid body, and refuses undeclared ones", async () => {
    const { emu } = await emulator(provider);
    const limited = await call(emu, path, VALID_BODY[provider], { ...auth, prefer: "code=429" });
    expect(limited.status).toBe(429);
    expect(isEnvelope(provider, limited.body, 429)).toBe(true);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect((await call(emu, path, VALID_BODY[provider], { ...auth, prefer: "code=418" })).status).toBe(400);
    const delayed = await call(emu, path, VALID_BODY[provider], { ...auth, prefer: "delay=30" });
    expect(delayed.status).toBe(200);
  });

  it("injects count-limited faults and clears them", async () => {
    const { emu } = await emulator(provider);
    const operationId = { cube: "generateSession", explo: "generateJwt", toucan: "generateToken" }[provider];
    expect((await control(emu, "faults", { operationId, status: 503, count: 2 })).status).toBe(200);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(emu, path, VALID_BODY[provider], auth)).status);
    expect(statuses).toEqual([503, 503, 200]);
    await control(emu, "faults", { operationId, status: 401 });
    expect((await call(emu, path, VALID_BODY[provider], auth)).status).toBe(401);
    await control(emu, "faults", undefined, "DELETE");
    expect((await call(emu, path, VALID_BODY[provider], auth)).status).toBe(200);
    expect((await control(emu, "faults", { operationId: "nope", status: 500 })).status).toBe(400);
    expect((await control(emu, "faults", { operationId, status: 418 })).status).toBe(400);
  });

  it("never shows a credential, secret or token in the journal, state or logs", async () => {
    const lines: string[] = [];
    const emu = await createEmulator({
      provider,
      logger: { log: (l, m, f) => lines.push(`${l} ${m} ${JSON.stringify(f)}`) },
    });
    const minted = await call(emu, path, VALID_BODY[provider], auth);
    expect(minted.status).toBe(200);
    const leaks = [
      ...SECRETS,
      ...Object.values(minted.body).filter((v): v is string => typeof v === "string" && v.length > 20),
    ];
    if (provider === "cube") {
      const token = await call(emu, PATHS.cube.exchange, { sessionId: minted.body.sessionId });
      leaks.push(token.body.token as string);
    }
    // The provider's own credential, planted where no redaction rule by name would find it.
    const own = Object.values(auth)[0]?.split(" ").pop() as string;
    await call(emu, path, { ...VALID_BODY[provider], note: own }, { ...auth, "x-debug": own });
    const seen = [
      (await control(emu, "requests")).text,
      (await control(emu, "state")).text,
      lines.join("\n"),
    ].join("\n");
    expect(seen).toContain(path);
    for (const secret of leaks) expect(seen).not.toContain(secret);
  });

  it("answers health, moves its clock, and resets to the start-up state", async () => {
    const { emu, clock } = await emulator(provider);
    expect((await control(emu, "health")).body).toMatchObject({ status: "ok", provider });
    const moved = await control(emu, "clock", { advanceSeconds: 90 });
    expect(moved.body.now).toBe(clock.now() + 90_000);
    await control(emu, "clock", { set: "2030-01-01T00:00:00Z" });
    expect((await control(emu, "clock")).body.iso).toBe("2030-01-01T00:00:00.000Z");
    await call(emu, path, VALID_BODY[provider], auth);
    expect(((await control(emu, "requests")).body.requests as unknown[]).length).toBe(1);
    expect((await control(emu, "reset", {})).status).toBe(200);
    expect(((await control(emu, "requests")).body.requests as unknown[]).length).toBe(0);
    expect((await control(emu, "clock")).body.now).toBe(clock.now());
    expect((await control(emu, "nope")).status).toBe(404);
  });
});

describe("config", () => {
  it.each([
    ["cube", { apiKeys: [{ key: "short", admin: true }] }, "config.apiKeys[0].key"],
    ["cube", { maxExternalUsers: 0 }, "config.maxExternalUsers"],
    ["cube", { nonsense: 1 }, "config"],
    ["explo", { embedSecrets: [{ keyId: "k", secret: "too-short" }] }, "config.embedSecrets[0].secret"],
    ["explo", { defaultKeyId: "missing" }, "config.defaultKeyId"],
    [
      "toucan",
      { apiKeys: [{ key: "abcdefghij", keyId: "k", keyMaterial: "bad", org: "o" }] },
      "config.apiKeys[0].keyMaterial",
    ],
    ["explo", { bodyLimitBytes: -1 }, "config.bodyLimitBytes"],
  ] as const)("%s refuses %j naming %s", async (provider, config, path) => {
    // Deliberately wrong: the typed createEmulator refuses these at compile time, the run-time check too.
    const error = await createEmulator({ provider, config: config as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).path).toBe(path);
  });

  it("applies overrides over the dev defaults", async () => {
    const { emu } = await emulator("cube", { apiKeys: [{ key: "my-own-admin-key", admin: true }] });
    expect((await call(emu, PATHS.cube.generate, { deploymentId: 32 }, AUTH.cube)).status).toBe(401);
    const ok = await call(
      emu,
      PATHS.cube.generate,
      { deploymentId: 32 },
      { authorization: "Api-Key my-own-admin-key" },
    );
    expect(ok.status).toBe(200);
    expect(emu.credentials.auth.apiKeyAuth).toBe("Api-Key my-own-admin-key");
  });
});
