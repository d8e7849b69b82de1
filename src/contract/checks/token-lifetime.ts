import { evaluate } from "../expressions.js";
import type { Check, CheckContext } from "../types.js";
import { isoDurationSeconds, openToken, type TokenNote, tokenNote, tokenOf } from "./token.js";

/** Seconds a declared lifetime amounts to for this request (a duration expression may name a field). */
function expectedLifetime(ctx: CheckContext, note: TokenNote, iat: number): number | undefined {
  if (typeof note.lifetimeSeconds === "number") return note.lifetimeSeconds;
  const lifetime = note.lifetime;
  if (!lifetime) return undefined;
  const requested = lifetime.duration
    ? evaluate(lifetime.duration, { request: ctx.exchange.request, requestBody: ctx.exchange.bodyValue })
    : undefined;
  if (typeof requested === "string") return isoDurationSeconds(requested, iat);
  return lifetime.defaultSeconds;
}

/** Seconds of leeway: one clock tick either side of the issuing second. */
const TOLERANCE = 2;

export const tokenLifetime: Check = {
  id: "token-lifetime",
  severity: "high",
  description: "the token expires when x-embedkit-token says (exp − iat); JWE needs --token-key",
  run: async (ctx) => {
    const note = tokenNote(ctx);
    const token = note && tokenOf(ctx, note);
    if (!note || typeof token !== "string")
      return { skip: "no token: not a 2xx with an x-embedkit-token note" };
    const { payload, keyed } = await openToken(ctx, token, note);
    if (!payload && keyed)
      return { skip: "the token did not open with the given key (token-claims says why)" };
    if (!payload) return { skip: "needs --token-key to open the token", missingInput: true };
    const exp = payload.exp;
    if (typeof exp !== "number")
      return [
        { message: "the token has no numeric exp claim", expected: "exp", actual: JSON.stringify(exp) },
      ];
    const iat = typeof payload.iat === "number" ? payload.iat : undefined;
    const from = iat ?? Date.now() / 1000;
    const expected = expectedLifetime(ctx, note, Math.round(from));
    if (expected === undefined) return { skip: "the note declares no lifetime for this request" };
    const actual = exp - from;
    // Without iat the clock of this machine stands in for the issuing time: allow a minute.
    if (Math.abs(actual - expected) <= (iat === undefined ? 60 : TOLERANCE)) return [];
    return [
      {
        message: `the token lives ${Math.round(actual)} s`,
        expected: `exp − ${iat === undefined ? "now" : "iat"} = ${expected} s`,
        actual: `${Math.round(actual)} s`,
      },
    ];
  },
};
