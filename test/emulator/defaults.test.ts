import { describe, expect, it } from "vitest";
import { ConfigError, createEmulator, defaultConfig } from "../../src/emulator/index.js";
import { PROVIDER_IDS } from "../../src/spec/index.js";

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
