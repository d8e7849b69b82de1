import { describe, expect, it } from "vitest";
import { ConfigError, createEmulator, defaultConfig } from "../../src/emulator/index.js";
import { PROVIDER_IDS } from "../../src/openapi/index.js";

/**
 * createEmulator checks a config only when the caller supplied one (compiling the config schema is
 * a fifth of the start-up budget), so the built-in defaults are proven valid here instead.
 */
describe.each(PROVIDER_IDS)("%s dev defaults", (provider) => {
  it("pass the config schema", async () => {
    const defaults = (await defaultConfig(provider)) as unknown as Record<string, unknown>;
    // Supplying the defaults themselves as the config makes createEmulator check all of it.
    const emulator = await createEmulator({ provider, config: defaults });
    await emulator.close();
  });

  it("a bad override is still refused with its path", async () => {
    await expect(createEmulator({ provider, config: { journalSize: -1 } })).rejects.toThrow(ConfigError);
    await expect(createEmulator({ provider, config: { journalSize: -1 } })).rejects.toThrow(/journalSize/);
  });
});

describe("the start-up banner", () => {
  it("prints the built-in dev credentials, so they can be used", async () => {
    const emulator = await createEmulator({ provider: "cube" });
    expect(emulator.describe().join("\n")).toContain("cube-dev-embed-secret-0123456789abcdef");
    await emulator.close();
  });

  it("masks every secret a user configured", async () => {
    const secret = "a-real-embed-secret-from-the-vault-0123456789";
    const key = "real-admin-key-0123456789";
    const emulator = await createEmulator({
      provider: "cube",
      config: { embedSecret: secret, apiKeys: [{ key, admin: true }] },
    });
    const banner = emulator.describe().join("\n");
    expect(banner).not.toContain(secret);
    expect(banner).not.toContain(key);
    expect(banner).toContain("[redacted]");
    await emulator.close();
  });
});
