import { getAtPointer } from "../openapi/index.js";
import type { WireRequest, WireResponse } from "./types.js";

/** What an OpenAPI runtime expression can read: one request and, after it, its response. */
export interface ExpressionScope {
  request?: WireRequest;
  requestBody?: unknown;
  response?: WireResponse;
  responseBody?: unknown;
}

const NOT_FOUND = Symbol("not found");

function header(headers: Record<string, string> | undefined, name: string): unknown {
  return headers?.[name.toLowerCase()];
}

/**
 * Evaluates an OpenAPI runtime expression (`$request.body#/sessionId`, `$response.header.x`,
 * `$statusCode`, `$method`, `$url`); undefined when the place is empty.
 * https://spec.openapis.org/oas/v3.1.0#runtime-expressions
 */
export function evaluate(expression: string, scope: ExpressionScope): unknown {
  const m = /^\$(request|response)\.(body|header|query|path)(?:#(.*)|\.(.+))?$/.exec(expression);
  if (expression === "$statusCode") return scope.response?.status;
  if (expression === "$method") return scope.request?.method;
  if (expression === "$url") return scope.request?.path;
  if (!m) return undefined;
  const [, side, source, pointer, name] = m;
  if (source === "body") {
    const body = side === "request" ? scope.requestBody : scope.responseBody;
    return pointer === undefined || pointer === "" ? body : getAtPointer(body, pointer);
  }
  if (source === "header")
    return header(side === "request" ? scope.request?.headers : scope.response?.headers, name ?? "");
  if (source === "query" && scope.request) {
    return new URLSearchParams(scope.request.path.split("?")[1] ?? "").get(name ?? "") ?? undefined;
  }
  return undefined;
}

export const isExpression = (v: unknown): v is string => typeof v === "string" && v.startsWith("$");

/** Resolves every expression leaf of a link's requestBody template; a missing value makes it fail. */
export function fillTemplate(template: unknown, scope: ExpressionScope): unknown {
  const walk = (node: unknown): unknown => {
    if (isExpression(node)) {
      const v = evaluate(node, scope);
      if (v === undefined) throw NOT_FOUND;
      return v;
    }
    if (Array.isArray(node)) return node.map(walk);
    if (node !== null && typeof node === "object") {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
    }
    return node;
  };
  try {
    return walk(template);
  } catch (error) {
    if (error === NOT_FOUND) return undefined;
    throw error;
  }
}

export function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
