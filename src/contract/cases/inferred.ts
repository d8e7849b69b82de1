import type { Operation } from "../../openapi/index.js";
import { parseJson } from "../expressions.js";
import type { Case, Exchange, Expectation, Step } from "../types.js";
import { buildRequest, type CaseSource } from "./context.js";
import { sourceStep } from "./linked.js";

/**
 * Links the spec does not write down, inferred the way Schemathesis does: an operation that
 * creates (POST/PUT answering 2xx) leads to the operations on the item below it
 * (`/notes` → `/notes/{noteId}`), and the item's id comes from the `Location` header's last
 * segment or from a response field named like the path parameter (`noteId`, or `id`).
 */
interface ItemOps {
  param: string;
  get?: Operation;
  del?: Operation;
}

const PARAM = /^\{([^}]+)\}$/;

function itemOpsBelow(op: Operation, all: readonly Operation[]): ItemOps | undefined {
  const base = op.path.replace(/\/$/, "");
  const below = all.filter((o) => {
    if (!o.path.startsWith(`${base}/`)) return false;
    const rest = o.path.slice(base.length + 1);
    return PARAM.test(rest) && o.parameters.filter((p) => p.in === "path").length === countParams(op) + 1;
  });
  const first = below[0];
  if (!first) return undefined;
  const param = PARAM.exec(first.path.slice(base.length + 1))?.[1] ?? "";
  const get = below.find((o) => o.method === "get");
  const del = below.find((o) => o.method === "delete");
  return get || del ? { param, ...(get ? { get } : {}), ...(del ? { del } : {}) } : undefined;
}

const countParams = (op: Operation) => op.parameters.filter((p) => p.in === "path").length;

/** The new resource's id: a body field named after the parameter, else the Location's last segment, else `id`. */
export function createdId(exchange: Exchange | undefined, param: string): string | undefined {
  const response = exchange?.response;
  if (!response) return undefined;
  const parsed = parseJson(response.body);
  const body = parsed !== null && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
  const field = (name: string) => {
    const v = body[name];
    return typeof v === "string" || typeof v === "number" ? String(v) : undefined;
  };
  const location = response.headers.location;
  const fromLocation = location
    ? new URL(location, "http://embedkit.invalid").pathname.split("/").filter(Boolean).pop()
    : undefined;
  return field(param) ?? (fromLocation ? decodeURIComponent(fromLocation) : undefined) ?? field("id");
}

function onItem(
  src: CaseSource,
  target: Operation,
  param: string,
  expect: Expectation,
  mustSucceed = false,
): Step {
  return {
    operationId: target.id,
    expect,
    mustSucceed,
    request: (previous) => {
      const id = createdId(previous[0], param);
      if (id === undefined) return undefined;
      // The parent's own path parameters (if any) repeat what the first request used.
      return { request: buildRequest(src, target, { params: { [`path:${param}`]: id } }) };
    },
  };
}

/** `ensure-resource-availability` (create → get) and `use-after-free` (create → delete → get) sequences. */
export function inferredCases(src: CaseSource, op: Operation, all: readonly Operation[]): Case[] {
  if (op.method !== "post" && op.method !== "put") return [];
  if (!Object.keys(op.responses).some((s) => /^2/.test(s))) return [];
  const items = itemOpsBelow(op, all);
  if (!items?.get) return [];
  const create = sourceStep(src, op);
  const resource = `${op.path}/{${items.param}}`;
  const cases: Case[] = [
    {
      id: `${op.id}/stateful/inferred-0`,
      operationId: op.id,
      origin: { phase: "stateful", detail: `inferred: ${op.id} → ${items.get.id} (created → retrievable)` },
      steps: [create, onItem(src, items.get, items.param, { kind: "available", resource })],
    },
  ];
  if (items.del) {
    cases.push({
      id: `${op.id}/stateful/inferred-1`,
      operationId: op.id,
      origin: {
        phase: "stateful",
        detail: `inferred: ${op.id} → ${items.del.id} → ${items.get.id} (deleted → gone)`,
      },
      steps: [
        create,
        onItem(src, items.del, items.param, { kind: "valid" }, true),
        onItem(src, items.get, items.param, { kind: "freed", resource }),
      ],
    });
  }
  return cases;
}
