import { STATUS_CODES } from "node:http";
import type { Reply } from "./types.js";

/** The JSON request body of a generated `operations[...]` entry. */
export type JsonBody<Op> = Op extends { requestBody?: { content: { "application/json": infer B } } }
  ? B
  : undefined;

/** The JSON body of status `S` of a generated `operations[...]` entry. */
export type JsonResponse<Op, S extends number> = Op extends {
  responses: { [K in S]: { content: { "application/json": infer R } } };
}
  ? R
  : never;

/**
 * A success reply whose body is checked against the generated types, so a spec change that the
 * handler does not follow fails typecheck: `success<operations["generateSession"], 200>(200, {...})`.
 */
export function success<Op, S extends number>(status: S, body: JsonResponse<Op, S>): Reply {
  return { status, body };
}

/** The reason phrase of a status ("Not Found"), as NestJS puts it in `error`. */
export function reasonPhrase(status: number): string {
  return STATUS_CODES[status] ?? "Error";
}
