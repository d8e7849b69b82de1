import { describe, expect, it } from "vitest";
import { keyBytes } from "../../src/contract/index.js";

const HEX64 = "ab".repeat(32);

describe("--token-key values, as the help describes them", () => {
  it.each([
    ["hex:00ff", [0, 255]],
    [`base64:${Buffer.from([1, 2, 251]).toString("base64")}`, [1, 2, 251]],
    [`base64url:${Buffer.from([1, 2, 251]).toString("base64url")}`, [1, 2, 251]],
    ["text:hi", [104, 105]],
    ["hi", [104, 105]],
    [HEX64, Array(32).fill(0xab)],
    [`text:${HEX64}`, [...Buffer.from(HEX64)]],
  ])("%s", (value, bytes) => {
    expect([...keyBytes(value)]).toEqual(bytes);
  });
});
