import type { Operation } from "../../openapi/index.js";
import { declaresSuccess } from "../checks/declared.js";
import { parseJson } from "../expressions.js";
import { uncredentialed } from "../run-notes.js";
import type { Case, Exchange, Expectation, Step } from "../types.js";
import { buildRequest, type CaseSource, type RequestParts } from "./context.js";
import { afterSourceCase, sourceStep } from "./linked.js";
import type { ParamValues } from "./parameters.js";

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

/** The values of the template's `{name}` segments in a sent path (`/users/{u}/notes` + `/users/7/notes`). */
function pathValues(template: string, sent: string): ParamValues {
  const out: ParamValues = {};
  const have = (sent.split("?")[0] ?? "").split("/");
  template.split("/").forEach((segment, i) => {
    const name = PARAM.exec(segment)?.[1];
    const value = have[i];
    if (name && value !== undefined) out[`path:${name}`] = decodeURIComponent(value);
  });
  return out;
}

/**
 * The parameters that put a request on the item the first step created: the item's id, and the
 * parent's own path parameters as the creating request used them. Undefined when no id came back.
 */
function onCreated(previous: Exchange[], creator: Operation, param: string): ParamValues | undefined {
  const first = previous[0];
  const id = createdId(first, param);
  if (id === undefined || !first) return undefined;
  return { ...pathValues(creator.path, first.request.path), [`path:${param}`]: id };
}

function onItem(
  src: CaseSource,
  creator: Operation,
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
      const params = onCreated(previous, creator, param);
      return params === undefined ? undefined : { request: buildRequest(src, target, { params }) };
    },
  };
}

/** An inferred link into an operation: the operation that creates the item it acts on. */
export interface ItemFeeder {
  creator: Operation;
  /** The path parameter that names the created item. */
  param: string;
}

/**
 * The POST/PUT that creates what `op` acts on (`POST /notes` for `GET /notes/{noteId}` and
 * `PUT /notes/{noteId}/text`), when the run can send it: its credential is at hand. The innermost
 * path parameter with such a creator wins.
 */
export function inferredFeeder(
  src: CaseSource,
  op: Operation,
  all: readonly Operation[],
): ItemFeeder | undefined {
  const segments = op.path.split("/");
  for (let i = segments.length - 1; i > 0; i--) {
    const param = PARAM.exec(segments[i] ?? "")?.[1];
    if (!param) continue;
    const base = segments.slice(0, i).join("/");
    const creator = all.find(
      (o) =>
        o.id !== op.id &&
        (o.method === "post" || o.method === "put") &&
        o.path.replace(/\/$/, "") === base &&
        Object.keys(o.responses).some((status) => /^2/.test(status)) &&
        uncredentialed([o], src.credentials).size === 0,
    );
    if (creator) return { creator, param };
  }
  return undefined;
}

/**
 * The request of a step on the item the creator (the first step) made. When the creator's answer
 * names no id, the request is sent as it would have been alone.
 */
export function fedRequest(
  src: CaseSource,
  op: Operation,
  feeder: ItemFeeder,
  parts: RequestParts,
  bodyValue?: unknown,
): Pick<Step, "request" | "bodyValue"> {
  return {
    request: (previous) => {
      const live = onCreated(previous, feeder.creator, feeder.param);
      const request = buildRequest(src, op, { ...parts, params: { ...live, ...parts.params } });
      return { request, ...(bodyValue === undefined ? {} : { bodyValue }) };
    },
  };
}

/** A valid request on an item that exists: the creator runs first (it must succeed), then the request. */
export function fedCase(
  src: CaseSource,
  op: Operation,
  feeder: ItemFeeder,
  n: number,
  detail: string,
  parts: RequestParts,
  bodyValue?: unknown,
): Case {
  return afterSourceCase(
    src,
    op,
    feeder.creator,
    n,
    `${detail}, on a new item from ${feeder.creator.id} (inferred link)`,
    { operationId: op.id, expect: { kind: "valid" }, ...fedRequest(src, op, feeder, parts, bodyValue) },
  );
}

/** `ensure-resource-availability` (create → get) and `use-after-free` (create → delete → get) sequences. */
export function inferredCases(src: CaseSource, op: Operation, all: readonly Operation[]): Case[] {
  if (op.method !== "post" && op.method !== "put") return [];
  if (!declaresSuccess(op)) return [];
  const items = itemOpsBelow(op, all);
  if (!items?.get) return [];
  const create = sourceStep(src, op);
  const resource = `${op.path}/{${items.param}}`;
  const cases: Case[] = [
    {
      id: `${op.id}/stateful/inferred-0`,
      operationId: op.id,
      origin: { phase: "stateful", detail: `inferred: ${op.id} → ${items.get.id} (created → retrievable)` },
      steps: [create, onItem(src, op, items.get, items.param, { kind: "available", resource })],
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
        onItem(src, op, items.del, items.param, { kind: "valid" }, true),
        onItem(src, op, items.get, items.param, { kind: "freed", resource }),
      ],
    });
  }
  return cases;
}
