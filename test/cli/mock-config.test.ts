import { describe, expect, it } from "vitest";
import { resolveMockTargets } from "../../src/cli/mock-config.js";
import { loadProvider } from "../../src/emulator/index.js";
import { PROVIDER_IDS, type ProviderId } from "../../src/openapi/index.js";

const resolve = async (providers: ProviderId[], env: Record<string, string>) =>
  (await resolveMockTargets({ providers }, env, process.cwd())).targets;

describe.each(PROVIDER_IDS)("%s: the environment variables it declares", (provider) => {
  it("each sets its config key; the same variable of another provider does not", async () => {
    const declared = (await loadProvider(provider)).env ?? [];
    const id = provider.toUpperCase();
    for (const setting of declared) {
      const env = { [`EMBEDKIT_${id}_${setting.suffix}`]: "from-the-environment-0123456789" };
      const [target] = await resolve([provider], env);
      expect(target?.config[setting.key]).toBe("from-the-environment-0123456789");
      const others = PROVIDER_IDS.filter((p) => p !== provider);
      for (const t of await resolve(others, env)) expect(t.config[setting.key]).toBeUndefined();
    }
  });
});

describe("shared environment variables", () => {
  it.each([
    ["EMBEDKIT_CONTROL_TOKEN", "ctl-0123456789abcdef", (c: Record<string, unknown>) => c.controlToken],
    ["EMBEDKIT_RATE_LIMIT", "off", (c: Record<string, unknown>) => c.rateLimit],
  ])("%s applies to every provider", async (name, value, read) => {
    for (const t of await resolve([...PROVIDER_IDS], { [name]: value }))
      expect(read(t.config)).toEqual(name === "EMBEDKIT_RATE_LIMIT" ? { enabled: false } : value);
  });

  it("a provider's port variable moves that provider only", async () => {
    const [first, ...rest] = PROVIDER_IDS;
    const targets = await resolve([...PROVIDER_IDS], { [`EMBEDKIT_${first?.toUpperCase()}_PORT`]: "5999" });
    expect(targets[0]?.port).toBe(5999);
    for (const t of targets.slice(1)) expect(t.port).not.toBe(5999);
    expect(rest.length).toBe(targets.length - 1);
  });
});
