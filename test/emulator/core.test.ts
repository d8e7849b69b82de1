import { describe, expect, it } from "vitest";
import { ConfigError, createEmulator } from "../../src/emulator/index.js";
import { PROVIDER_IDS } from "../../src/openapi/index.js";
import { AUTH, call, emulator, PATHS } from "./helpers.js";
import { emulatorSuite } from "./shared-suite.js";

emulatorSuite(PROVIDER_IDS);

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
    expect(
      (await call(emu, PATHS.cube.generate, { deploymentId: 32, externalId: "user@example.com" }, AUTH.cube))
        .status,
    ).toBe(401);
    const ok = await call(
      emu,
      PATHS.cube.generate,
      { deploymentId: 32, externalId: "user@example.com" },
      { authorization: "Api-Key my-own-admin-key" },
    );
    expect(ok.status).toBe(200);
    expect(emu.credentials.auth.apiKeyAuth).toBe("Api-Key my-own-admin-key");
  });
});
