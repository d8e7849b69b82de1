import { describe, expectTypeOf, it } from "vitest";
import { createEmulator, type Emulator } from "../../src/emulator/index.js";

describe("createEmulator's config is typed by provider", () => {
  it("accepts a partial config of that provider and refuses another's keys or wrong types", () => {
    expectTypeOf(
      createEmulator({ provider: "cube", config: { maxExternalUsers: 5 } }),
    ).resolves.toEqualTypeOf<Emulator>();
    createEmulator({ provider: "explo", config: { rateLimit: { enabled: false } } });
    // @ts-expect-error Cube's maxExternalUsers is a number
    createEmulator({ provider: "cube", config: { maxExternalUsers: "many" } });
    // @ts-expect-error deployments are Cube's, not Toucan's
    createEmulator({ provider: "toucan", config: { deployments: [] } });
  });
});
