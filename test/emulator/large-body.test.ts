import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmulator, type Emulator } from "../../src/emulator/index.js";

let cube: Emulator;
beforeAll(async () => {
  cube = await createEmulator({ provider: "cube" });
});
afterAll(() => cube.close());

const post = (body: string, emu: Emulator = cube) =>
  emu.fetch(
    new Request("http://cube.test/api/v1/embed/generate-session", {
      method: "POST",
      headers: { authorization: "Api-Key ek_cube_admin_dev", "content-type": "application/json" },
      body,
    }),
  );

describe("a large schema-invalid body", () => {
  it("is refused with its first problem and a note, not with every one of its 200,000", async () => {
    const body = JSON.stringify({ deploymentId: 32, groups: Array.from({ length: 200_000 }, () => 1) });
    expect(body.length).toBeGreaterThan(64 * 1024);
    const res = await post(body);
    expect(res.status).toBe(400);
    const { message } = (await res.json()) as { message: string[] };
    expect(message).toEqual([
      "body.groups[0]: must be string",
      "(the body is over 64 KiB: only its first problem is listed)",
    ]);
  });

  it("a small invalid body still lists every problem", async () => {
    const res = await post(JSON.stringify({ deploymentId: "x", groups: [1, 2] }));
    const { message } = (await res.json()) as { message: string[] };
    expect(message).toEqual([
      "body.deploymentId: must be number",
      "body.groups[0]: must be string",
      "body.groups[1]: must be string",
    ]);
  });

  it("a large valid body is accepted (with the per-field limit raised for it)", async () => {
    const raised = await createEmulator({
      provider: "cube",
      config: { requestLimits: { generateSession: { "/roles": 1024 * 1024 } } },
    });
    const res = await post(
      JSON.stringify({
        deploymentId: 32,
        externalId: "u",
        roles: Array.from({ length: 20_000 }, (_, i) => `r${i}`),
      }),
      raised,
    );
    expect(res.status).toBe(200);
  });
});
