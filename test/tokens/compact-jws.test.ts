import { randomBytes } from "node:crypto";
import { generateKeyPair, jwtVerify, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { judgeClaims, signCompactJws, verifyCompactJws } from "../../src/tokens/index.js";

const key = randomBytes(32);
const claims = { sub: "user-1", iss: "cubecloud", iat: 1_763_683_200, exp: 1_763_686_800 };
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** jose is the reference implementation: our JWS must be its JWS, both ways. */
describe("compact JWS with HMAC, on node:crypto", () => {
  it("jose verifies what we sign, header and claims intact", async () => {
    const token = signCompactJws({ alg: "HS256", typ: "JWT" }, claims, key);
    const { payload, protectedHeader } = await jwtVerify(token, key, {
      algorithms: ["HS256"],
      currentDate: new Date(claims.iat * 1000),
    });
    expect(protectedHeader).toEqual({ alg: "HS256", typ: "JWT" });
    expect(payload).toEqual(claims);
  });

  it.each(["HS256", "HS384", "HS512"])("we verify what jose signs with %s", async (alg) => {
    const token = await new SignJWT(claims).setProtectedHeader({ alg }).sign(key);
    expect(verifyCompactJws(token, key)).toEqual({ ok: true, header: { alg }, payload: claims });
  });

  const good = signCompactJws({ alg: "HS256", typ: "JWT" }, claims, key);
  const [h, p, s] = good.split(".") as [string, string, string];
  it.each([
    ["another key", () => verifyCompactJws(good, randomBytes(32)), "signature"],
    ["payload edited", () => verifyCompactJws(`${h}.${b64({ ...claims, sub: "x" })}.${s}`, key), "signature"],
    ["signature cut", () => verifyCompactJws(`${h}.${p}.${s.slice(0, 10)}`, key), "signature"],
    ["alg none", () => verifyCompactJws(`${b64({ alg: "none" })}.${p}.`, key), "unsupported"],
    ["HS512 where only HS256 is allowed", () => verifyCompactJws(good, key, ["HS512"]), "unsupported"],
    [
      "a crit header",
      () => verifyCompactJws(`${b64({ alg: "HS256", crit: ["x"] })}.${p}.${s}`, key),
      "unsupported",
    ],
    ["two segments", () => verifyCompactJws(`${h}.${p}`, key), "malformed"],
    ["a header that is not JSON", () => verifyCompactJws(`bm9wZQ.${p}.${s}`, key), "malformed"],
    ["a payload that is not an object", () => verifyCompactJws(`${h}.${b64([1])}.${s}`, key), "malformed"],
  ])("%s → %s", (_name, verify, reason) => {
    expect(verify()).toMatchObject({ ok: false, reason });
  });

  it("refuses an RS256 token jose signed with an attacker's key", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    const token = await new SignJWT(claims).setProtectedHeader({ alg: "RS256" }).sign(privateKey);
    expect(verifyCompactJws(token, key)).toMatchObject({ ok: false, reason: "unsupported" });
  });
});

describe("registered claims, judged as jose judges them", () => {
  const now = claims.iat * 1000;
  it.each([
    ["valid", claims, undefined],
    ["exp one second ago", { ...claims, exp: claims.iat - 1 }, "expired"],
    ["exp exactly now", { ...claims, exp: claims.iat }, "expired"],
    ["nbf in the future", { ...claims, nbf: claims.iat + 1 }, "tampered"],
    ["another issuer", { ...claims, iss: "someone-else" }, "tampered"],
    ["exp not a number", { ...claims, exp: "tomorrow" }, "tampered"],
  ])("%s → %s", (_name, c, reason) => {
    expect(judgeClaims(c, now, "cubecloud")).toBe(reason);
  });
});
