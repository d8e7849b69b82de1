import { randomBytes } from "node:crypto";
import { CompactEncrypt, compactDecrypt } from "jose";
import { describe, expect, it } from "vitest";
import { decryptCompactJwe, encryptCompactJwe } from "../../src/tokens/index.js";

const key = randomBytes(32);
const claims = { cst: "customer_1", dsh: "abcde", iat: 1_763_683_200, exp: 1_763_686_800 };

/** jose is the reference implementation: our tokens must be its tokens, both ways. */
describe("compact JWE, dir + A256GCM, on node:crypto", () => {
  it("jose decrypts what we encrypt, header and claims intact", async () => {
    const token = encryptCompactJwe({ alg: "dir", enc: "A256GCM", kid: "k1" }, JSON.stringify(claims), key);
    expect(token.split(".").map((p) => p.length > 0)).toEqual([true, false, true, true, true]);
    const { plaintext, protectedHeader } = await compactDecrypt(token, key);
    expect(protectedHeader).toEqual({ alg: "dir", enc: "A256GCM", kid: "k1" });
    expect(JSON.parse(new TextDecoder().decode(plaintext))).toEqual(claims);
  });

  it("we decrypt what jose encrypts", async () => {
    const token = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(claims)))
      .setProtectedHeader({ alg: "dir", enc: "A256GCM", kid: "k2" })
      .encrypt(key);
    const out = decryptCompactJwe(token, key);
    expect(out.ok && JSON.parse(out.plaintext.toString("utf8"))).toEqual(claims);
    expect(out.ok && out.header.kid).toBe("k2");
  });

  it("every token gets a fresh IV", () => {
    const a = encryptCompactJwe({ alg: "dir", enc: "A256GCM" }, "x", key).split(".")[2];
    const b = encryptCompactJwe({ alg: "dir", enc: "A256GCM" }, "x", key).split(".")[2];
    expect(a).not.toBe(b);
  });

  const good = encryptCompactJwe({ alg: "dir", enc: "A256GCM" }, JSON.stringify(claims), key);
  const [h, , iv, ct, tag] = good.split(".") as [string, string, string, string, string];
  const flip = (s: string) => (s[0] === "A" ? "B" : "A") + s.slice(1);
  const header = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");

  it.each([
    ["a tampered ciphertext", `${h}..${iv}.${flip(ct)}.${tag}`, "decryption failed"],
    ["a tampered tag", `${h}..${iv}.${ct}.${flip(tag)}`, "decryption failed"],
    [
      "a swapped header (the AAD)",
      `${header({ alg: "dir", enc: "A256GCM", kid: "x" })}..${iv}.${ct}.${tag}`,
      "decryption failed",
    ],
    ["another key", "other-key", "decryption failed"],
    ["alg none", `${header({ alg: "none", enc: "A256GCM" })}..${iv}.${ct}.${tag}`, "unsupported"],
    ["another enc", `${header({ alg: "dir", enc: "A128GCM" })}..${iv}.${ct}.${tag}`, "unsupported"],
    ["four parts", `${h}..${iv}.${ct}`, "malformed"],
    ["an encrypted key (not dir)", `${h}.abc.${iv}.${ct}.${tag}`, "malformed"],
    ["a header that is not JSON", `bm90IGpzb24..${iv}.${ct}.${tag}`, "malformed"],
    ["a short IV", `${h}..AAAA.${ct}.${tag}`, "malformed"],
  ])("refuses %s without throwing", (_label, token, reason) => {
    const out =
      token === "other-key" ? decryptCompactJwe(good, randomBytes(32)) : decryptCompactJwe(token, key);
    expect(out).toEqual({ ok: false, reason });
  });

  it("refuses a key that is not 256 bits", () => {
    expect(() => encryptCompactJwe({ alg: "dir", enc: "A256GCM" }, "x", randomBytes(16))).toThrow(/32 bytes/);
    expect(decryptCompactJwe(good, randomBytes(16))).toEqual({ ok: false, reason: "unsupported" });
  });
});
