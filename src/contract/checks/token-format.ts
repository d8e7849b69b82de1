import type { Check, Finding } from "../types.js";
import { headerOf, tokenNote, tokenOf } from "./token.js";

const SHAPES = {
  jws: { parts: 3, label: "compact JWS (three base64url parts)" },
  jwe: { parts: 5, label: "compact JWE (five base64url parts)" },
};

export const tokenFormat: Check = {
  id: "token-format",
  severity: "high",
  description: "the issued token is the compact JWS/JWE with the alg and enc that x-embedkit-token declares",
  run: (ctx) => {
    const note = tokenNote(ctx);
    if (!note) return { skip: "no token: not a 2xx with an x-embedkit-token note" };
    const token = tokenOf(ctx, note);
    const shape = SHAPES[note.format];
    if (typeof token !== "string" || token.split(".").length !== shape.parts) {
      return [
        {
          message: `no ${note.format.toUpperCase()} at ${note.pointer}`,
          expected: shape.label,
          actual: typeof token === "string" ? `${token.split(".").length} parts` : String(token),
        },
      ];
    }
    const header = headerOf(token);
    if (!header)
      return [
        {
          message: "the token's protected header does not decode",
          expected: "base64url JSON header",
          actual: token.split(".")[0] ?? "",
        },
      ];
    const findings: Finding[] = [];
    if (note.algorithms && !note.algorithms.includes(String(header.alg))) {
      findings.push({
        message: "unexpected alg",
        expected: `alg ${note.algorithms.join(" or ")}`,
        actual: `alg ${String(header.alg)}`,
      });
    }
    if (note.format === "jwe" && note.encryption && !note.encryption.includes(String(header.enc))) {
      findings.push({
        message: "unexpected enc",
        expected: `enc ${note.encryption.join(" or ")}`,
        actual: `enc ${String(header.enc)}`,
      });
    }
    return findings;
  },
};
