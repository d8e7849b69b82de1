import { isDeepStrictEqual } from "node:util";
import { evaluate } from "../expressions.js";
import type { Check, Finding } from "../types.js";
import { headerOf, openToken, tokenNote, tokenOf } from "./token.js";

/** Origins are compared with and without their trailing slash (Explo keeps it, callers may not). */
function same(claim: unknown, requested: unknown): boolean {
  if (typeof claim === "string" && typeof requested === "string")
    return claim.replace(/\/$/, "") === requested.replace(/\/$/, "");
  return isDeepStrictEqual(claim, requested);
}

export const tokenClaims: Check = {
  id: "token-claims",
  severity: "high",
  description: "with --token-key: the token verifies/decrypts and its claims match the request",
  run: async (ctx) => {
    const note = tokenNote(ctx);
    const token = note && tokenOf(ctx, note);
    if (!note || typeof token !== "string")
      return { skip: "no token: not a 2xx with an x-embedkit-token note" };
    const opened = await openToken(ctx, token, note);
    if (!opened.keyed) return { skip: "needs --token-key to open the token", missingInput: true };
    if (opened.error || !opened.payload)
      return [
        {
          message: `the token does not ${note.format === "jwe" ? "decrypt" : "verify"} with the given key`,
          expected: "a token made with that key",
          actual: opened.error ?? "no payload",
        },
      ];
    const scope = { request: ctx.exchange.request, requestBody: ctx.exchange.bodyValue };
    const findings: Finding[] = [];
    const payload = opened.payload;
    if (note.issuer !== undefined && payload.iss !== note.issuer)
      findings.push({
        message: "wrong issuer",
        expected: `iss ${note.issuer}`,
        actual: `iss ${JSON.stringify(payload.iss)}`,
      });
    if (note.kid) {
      const kid = evaluate(note.kid, scope);
      const header = headerOf(token);
      if (typeof kid === "string" && header?.kid !== kid)
        findings.push({
          message: "the kid header does not name the requested key",
          expected: `kid ${kid}`,
          actual: `kid ${JSON.stringify(header?.kid)}`,
        });
    }
    for (const [claim, expression] of Object.entries(note.claims ?? {})) {
      const requested = evaluate(expression, scope);
      if (requested === undefined || requested === null) continue;
      if (!same(payload[claim], requested)) {
        findings.push({
          message: `claim ${claim} does not match ${expression}`,
          expected: JSON.stringify(requested),
          actual: JSON.stringify(payload[claim]),
        });
      }
    }
    return findings;
  },
};
