import { getAtPointer, NOTES, readNote, type TokenNote } from "../../openapi/index.js";
import { headerOf, type OpenedToken, openCompact } from "../../tokens/index.js";
import type { CheckContext, Exchange, TokenKeys } from "../types.js";

export { headerOf, isoDurationSeconds, keyBytes, type OpenedToken } from "../../tokens/index.js";

export type { TokenNote };

/** The declared response's `x-embedkit-token` note, for a 2xx: what token the spec promises. */
export function tokenNote(ctx: CheckContext): TokenNote | undefined {
  if (ctx.response.status < 200 || ctx.response.status > 299 || !ctx.declared) return undefined;
  return readNote(NOTES.token, ctx.declared.extensions);
}

export function tokenOf(ctx: CheckContext, note: TokenNote): unknown {
  return getAtPointer(ctx.json(), note.pointer);
}

/** The key for a token: by its `kid`, else the one named `default`, else the only one given. */
export function keyFor(keys: TokenKeys, kid: string | undefined): string | undefined {
  if (kid !== undefined && keys[kid] !== undefined) return keys[kid];
  if (keys.default !== undefined) return keys.default;
  const all = Object.values(keys);
  return all.length === 1 ? all[0] : undefined;
}

const opened = new WeakMap<Exchange, Promise<OpenedToken>>();

function open(token: string, note: TokenNote, keys: TokenKeys): Promise<OpenedToken> {
  const header = headerOf(token);
  return openCompact(
    token,
    note.format,
    keyFor(keys, typeof header?.kid === "string" ? header.kid : undefined),
  );
}

/** Opens a response's token once per exchange, however many checks ask. */
export function openToken(ctx: CheckContext, token: string, note: TokenNote): Promise<OpenedToken> {
  let p = opened.get(ctx.exchange);
  if (!p) {
    p = open(token, note, ctx.tokenKeys);
    opened.set(ctx.exchange, p);
  }
  return p;
}
