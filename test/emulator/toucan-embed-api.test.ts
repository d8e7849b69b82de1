import { describe, expect, it } from "vitest";
import { originAllowed } from "../../src/emulator/providers/toucan/embed-api.js";
import type { ToucanApiKey } from "../../src/emulator/providers/toucan/index.js";
import { AUTH, call, emulator, PATHS, VALID_BODY } from "./helpers.js";

describe("Toucan Authorized Origins", () => {
  const cases: [string[], string, boolean][] = [
    [["https://app.example.com"], "https://app.example.com", true],
    [["https://app.example.com"], "https://evil.example.com", false],
    [["https://app.example.com"], "http://app.example.com", false],
    [["http://localhost:*"], "http://localhost:5173", true],
    [["http://localhost:*"], "http://localhost.evil.com:80", false],
    [["http://localhost:*"], "http://localhost", false],
    [[], "http://localhost:5173", false],
  ];
  it.each(cases)("%j allows %s: %s", (allowed, origin, expected) => {
    expect(originAllowed(allowed, origin)).toBe(expected);
  });
});

describe("Toucan's token-consuming API", () => {
  async function setup(authorizedOrigins: string[]) {
    const { emu, clock } = await emulator("toucan");
    const apiKeys = (emu.config.apiKeys as ToucanApiKey[]).map((k, i) =>
      i === 0 ? { ...k, authorizedOrigins } : k,
    );
    const { emu: configured } = await emulator("toucan", { apiKeys }, clock);
    const minted = await call(configured, PATHS.toucan.generate, VALID_BODY.toucan, AUTH.toucan);
    return { emu: configured, token: minted.body.token as string };
  }

  it("answers the page's origin (and only with CORS for it), refusing unlisted origins with 403", async () => {
    const { emu, token } = await setup(["https://app.example.com"]);
    const get = (origin?: string) =>
      call(
        emu,
        "/api/embed/dashboards/sales",
        undefined,
        {
          authorization: `Bearer ${token}`,
          ...(origin ? { origin } : {}),
        },
        "GET",
      );
    const ok = await get("https://app.example.com");
    expect(ok.status).toBe(200);
    expect(ok.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    expect(ok.body).toMatchObject({ kind: "dashboard", id: "sales", user: { distinctId: "user-123" } });
    const refused = await get("https://evil.example.com");
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe("ORIGIN_NOT_ALLOWED");
    // A server (no Origin header) is not a page on a domain: Toucan's rule is about browsers.
    expect((await get()).status).toBe(200);
  });

  it("answers the preflight for Authorization; refuses a missing or wrong credential with 401", async () => {
    const { emu } = await setup(["https://app.example.com"]);
    const pre = await call(
      emu,
      "/api/embed/ai/assistant",
      undefined,
      { origin: "https://app.example.com" },
      "OPTIONS",
    );
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-headers")).toMatch(/authorization/);
    const missing = await call(emu, "/api/embed/charts/c1", undefined, {}, "GET");
    expect([missing.status, missing.body.code]).toEqual([401, "MISSING_TOKEN"]);
    const post = await call(emu, "/api/embed/charts/c1", {}, {}, "POST");
    expect(post.status).toBe(405);
  });
});
