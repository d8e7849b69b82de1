import type { Operation } from "../../openapi/index.js";
import { cookieText, headerText, pathText, queryPairs } from "./serialise.js";

/** Where serialised parameters go before they become one request. */
export interface ParamSink {
  path: string;
  query: Array<[string, string]>;
  headers: Record<string, string>;
  cookies: string[];
}

/**
 * Writes each parameter with a value into the path, query, headers or cookies. `values` is keyed by
 * `in:name` (header names lower-cased); a symbol value (OMIT) or no value leaves the parameter out.
 */
export function serialiseParams(op: Operation, values: Record<string, unknown>): ParamSink {
  const sink: ParamSink = { path: op.path, query: [], headers: {}, cookies: [] };
  for (const p of op.parameters) {
    const key = `${p.in}:${p.in === "header" ? p.name.toLowerCase() : p.name}`;
    const value = values[key];
    if (value === undefined || typeof value === "symbol") continue;
    if (p.in === "path") sink.path = sink.path.replace(`{${p.name}}`, pathText(p, value));
    else if (p.in === "query") sink.query.push(...queryPairs(p, value));
    else if (p.in === "header") sink.headers[p.name.toLowerCase()] = headerText(p, value);
    else sink.cookies.push(cookieText(p, value));
  }
  return sink;
}
