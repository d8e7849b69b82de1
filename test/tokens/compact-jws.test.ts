import { jwtVerify, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { signCompactJwsHs256 } from "../../src/tokens/index.js";

const key = new TextEncoder().encode("cube-dev-embed-secret-0123456789abcdef");
const claims = { sub: "u1", groups: ["a", "ü"], n: 1, iat: 1_772_366_400, exp: 1_772_452_800 };

describe("compact JWS HS256 on node:crypto", () => {
  it("is what jose signs, byte for byte, and jose verifies it", async () => {
    const ours = signCompactJwsHs256({ alg: "HS256", typ: "JWT" }, claims, key);
    const jose = await new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(key);
    expect(ours).toBe(jose);
    const verified = await jwtVerify(ours, key, {
      algorithms: ["HS256"],
      currentDate: new Date(1_772_366_500_000),
    });
    expect(verified.payload).toEqual(claims);
  });

  it.each([
    ["another key", (t: string) => t, new TextEncoder().encode("another-secret-of-enough-length")],
    [
      "a changed payload",
      (t: string) => t.replace(/\.[^.]+\./, `.${Buffer.from('{"sub":"u2"}').toString("base64url")}.`),
      key,
    ],
    ["a truncated signature", (t: string) => t.slice(0, -2), key],
  ])("is refused by jose with %s", async (_case, alter, verifyKey) => {
    const token = alter(signCompactJwsHs256({ alg: "HS256" }, claims, key));
    await expect(jwtVerify(token, verifyKey, { algorithms: ["HS256"] })).rejects.toThrow();
  });
});
