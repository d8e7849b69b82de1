import { describe, expect, it } from "vitest";
import { createEmulator } from "../../src/emulator/index.js";
import { AUTH, PATHS, VALID_BODY } from "../emulator/helpers.js";

/**
 * A shutdown finishes the requests in flight, up to the longest delay a request may ask for: a
 * `Prefer: delay=6000` (within the default 10 s) used to be cut at 5 s while the process exited 0.
 */
describe("shutdown", () => {
  it.each([0, 6_000])("finishes a request delayed %i ms and reports nothing cut", async (delay) => {
    const emu = await createEmulator({ provider: "cube" });
    const { url } = await emu.listen(0);
    const pending = fetch(`${url}${PATHS.cube.generate.slice(4)}`, {
      method: "POST",
      headers: { "content-type": "application/json", prefer: `delay=${delay}`, ...AUTH.cube },
      body: JSON.stringify(VALID_BODY.cube),
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const [answer, cut] = await Promise.all([pending, emu.close()]);
    expect(answer.status).toBe(200);
    expect(cut).toBe(0);
  });
});
