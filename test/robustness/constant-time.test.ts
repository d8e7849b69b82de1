import * as crypto from "node:crypto";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { createEmulator } from "../../src/emulator/index.js";
import { randomHex, secretEquals, secretMatcher } from "../../src/emulator/kit/ids.js";
import { AUTH, call, PATHS } from "../emulator/helpers.js";

/**
 * node:crypto wrapped (same functions, counted): proves that secrets are compared with
 * timingSafeEqual on equal-length digests, every entry every time, and that ids come from
 * crypto.randomBytes. Behaviour only: nothing here measures time.
 */
vi.mock("node:crypto", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:crypto")>();
  return { ...real, timingSafeEqual: vi.fn(real.timingSafeEqual), randomBytes: vi.fn(real.randomBytes) };
});

const compare = vi.mocked(crypto.timingSafeEqual);
const random = vi.mocked(crypto.randomBytes);
beforeEach(() => {
  compare.mockClear();
  random.mockClear();
});

/** Byte lengths of both sides of every timingSafeEqual call. */
const comparedLengths = () => compare.mock.calls.map(([a, b]) => [a.byteLength, b.byteLength]);

describe("secretEquals", () => {
  it.each([
    ["equal", "ek_cube_admin_dev", "ek_cube_admin_dev", true],
    ["one character off", "ek_cube_admin_dev", "ek_cube_admin_deV", false],
    ["a prefix", "ek_cube_admin_dev", "ek_cube_admin", false],
    ["much longer", "short", `short${"x".repeat(10_000)}`, false],
    ["empty against a secret", "", "ek_cube_admin_dev", false],
    ["both empty", "", "", true],
    ["same text, other normalisation", "caf\u00e9-secret", "cafe\u0301-secret", false],
  ])("%s → %s, through one timingSafeEqual of two 32-byte digests", (_name, a, b, equal) => {
    expect(secretEquals(a, b)).toBe(equal);
    expect(comparedLengths()).toEqual([[32, 32]]);
  });
});

describe("secretMatcher", () => {
  const match = secretMatcher([
    { secret: "first-secret-key", value: "first" },
    { secret: "second-secret-key", value: "second" },
    { secret: "third-secret-key", value: "third" },
  ]);

  it.each([
    ["first-secret-key", "first"],
    ["third-secret-key", "third"],
    ["first-secret-ke", undefined],
    ["", undefined],
    [`first-secret-key${"!".repeat(5_000)}`, undefined],
  ])("%j → %s, comparing against every entry (no early exit)", (candidate, expected) => {
    expect(match(candidate)).toBe(expected);
    expect(comparedLengths()).toEqual([
      [32, 32],
      [32, 32],
      [32, 32],
    ]);
  });

  it("is what the providers use: one API key check compares against every configured key", async () => {
    const emu = await createEmulator({ provider: "cube" });
    compare.mockClear();
    const res = await call(
      emu,
      PATHS.cube.generate,
      { deploymentId: 32, externalId: "user@example.com" },
      AUTH.cube,
    );
    expect(res.status).toBe(200);
    // The three dev keys: admin, member, scoped.
    expect(comparedLengths()).toEqual(Array(3).fill([32, 32]));
  });
});

describe("ids come from crypto.randomBytes", () => {
  it("randomHex: 10,000 ids of 16 bytes, all distinct 32-hex, drawn from randomBytes pools", () => {
    const ids = Array.from({ length: 10_000 }, () => randomHex(16));
    expect(ids.every((id) => /^[0-9a-f]{32}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(10_000);
    // 160,000 bytes from pools of 4,096: at least 39 refills, every one a randomBytes call.
    expect(random.mock.calls.length).toBeGreaterThanOrEqual(39);
    expect(random.mock.calls.every(([n]) => n === 4_096)).toBe(true);
  });

  it("Cube session ids are drawn from them", async () => {
    const emu = await createEmulator({ provider: "cube" });
    random.mockClear();
    for (let i = 0; i < 300; i++)
      await call(emu, PATHS.cube.generate, { deploymentId: 32, externalId: "user@example.com" }, AUTH.cube);
    // 300 session ids × 16 bytes = 4,800 bytes: more than one pool, so at least one refill.
    expect(random).toHaveBeenCalled();
  });
});
