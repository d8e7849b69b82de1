import type { Link, Operation } from "../../openapi/index.js";
import { type ExpressionScope, fillTemplate, parseJson } from "../expressions.js";
import { isObj, withValue } from "../generate/schema-walk.js";
import type { Case, Exchange, Step } from "../types.js";
import { baseBody, buildRequest, type CaseSource } from "./context.js";
import { type ParamValues, paramKey } from "./parameters.js";
import { overlaps } from "./test-data.js";

type Tokens = Array<string | number>;

/** An operation's 2xx link into `target`, with the operation it starts from. */
export interface Feeder {
  source: Operation;
  link: Link;
}

/** The first operation whose 2xx response links into `target` with values for its body or path. */
export function linkInto(target: Operation, byId: Map<string, Operation>): Feeder | undefined {
  for (const source of byId.values()) {
    if (source.id === target.id) continue;
    for (const response of Object.values(source.responses)) {
      if (!/^2/.test(response.status)) continue;
      const link = response.links.find(
        (l) =>
          l.operationId === target.id &&
          (l.requestBody !== undefined || Object.keys(l.parameters).length > 0),
      );
      if (link) return { source, link };
    }
  }
  return undefined;
}

/** `into` with every leaf of `linked` put in, except under `except`. */
function merge(into: unknown, linked: unknown, except?: Tokens): unknown {
  if (into === undefined || !isObj(linked)) return linked;
  let out: unknown = into;
  const walk = (value: unknown, tokens: Tokens): void => {
    if (isObj(value)) for (const [k, v] of Object.entries(value)) walk(v, [...tokens, k]);
    else if (!except || !overlaps(tokens, except)) out = withValue(out, tokens, value);
  };
  walk(linked, []);
  return out;
}

export interface LinkStepOptions {
  mustSucceed?: boolean;
  /** A body to send, with the link's values put in (positive cases); else the link's body alone. */
  body?: unknown;
  except?: Tokens;
}

/** The step that follows a link: its body filled from the previous step's request and response. */
export function linkStep(src: CaseSource, target: Operation, link: Link, o: LinkStepOptions = {}): Step {
  return {
    operationId: target.id,
    expect: { kind: "valid" },
    ...(o.mustSucceed ? { mustSucceed: true } : {}),
    request: (previous: Exchange[]) => {
      const last = previous[previous.length - 1];
      if (!last?.response) return undefined;
      const scope = {
        request: last.request,
        requestBody: last.bodyValue,
        response: last.response,
        responseBody: parseJson(last.response.body),
      };
      const linked = link.requestBody === undefined ? undefined : fillTemplate(link.requestBody, scope);
      if (link.requestBody !== undefined && linked === undefined) return undefined;
      const body = linked === undefined ? o.body : merge(o.body, linked, o.except);
      // The link's parameters go in while the request is built, over the defaults: afterwards no
      // `{name}` is left in the path to replace.
      const params = linkParams(target, link, scope);
      const request = buildRequest(src, target, { ...(body === undefined ? {} : { body }), params });
      return { request, bodyValue: body };
    },
  };
}

/**
 * A link's `parameters` as values by `paramKey` of the target's parameters: a name may be qualified
 * (`path.id`, `query.limit`), else it is the target's parameter of that name. Names the target does
 * not declare, and expressions with no value in this exchange, are left out.
 */
function linkParams(target: Operation, link: Link, scope: ExpressionScope): ParamValues {
  const out: ParamValues = {};
  for (const [name, expr] of Object.entries(link.parameters)) {
    const qualified = /^(path|query|header|cookie)\.(.+)$/.exec(name);
    const [where, bare] = qualified ? [qualified[1], qualified[2] ?? ""] : [undefined, name];
    const p = target.parameters.find(
      (q) =>
        (where === undefined || q.in === where) &&
        (q.in === "header" ? q.name.toLowerCase() === bare.toLowerCase() : q.name === bare),
    );
    const v = fillTemplate(expr, scope);
    if (p && v !== undefined) out[paramKey(p)] = v;
  }
  return out;
}

/** The link's source operation with a valid body, which must succeed for the next step to run. */
export function sourceStep(src: CaseSource, source: Operation): Step {
  const body = baseBody(src, source);
  return {
    operationId: source.id,
    request: buildRequest(src, source, body === undefined ? {} : { body }),
    expect: { kind: "valid" },
    mustSucceed: true,
    ...(body === undefined ? {} : { bodyValue: body }),
  };
}

/**
 * A positive case of `op` whose own step runs after `source`'s, so it can carry the live values
 * that answer gives (an explicit link's, or an inferred one's new item).
 */
export function afterSourceCase(
  src: CaseSource,
  op: Operation,
  source: Operation,
  n: number,
  detail: string,
  step: Step,
): Case {
  return {
    id: `${op.id}/positive/${n}`,
    operationId: op.id,
    origin: { phase: "positive", detail },
    steps: [sourceStep(src, source), step],
  };
}

/** A positive case of a link target: the source runs first, so the body carries live values. */
export function linkedCase(
  src: CaseSource,
  op: Operation,
  feeder: Feeder,
  n: number,
  c: { detail: string; body: unknown; except?: Tokens },
): Case {
  const detail = `${c.detail}, with live values from ${feeder.source.id} (link ${feeder.link.name})`;
  return afterSourceCase(src, op, feeder.source, n, detail, {
    ...linkStep(src, op, feeder.link, { body: c.body, ...(c.except ? { except: c.except } : {}) }),
    // The generated body, before the link's live values go in (they replace, never add).
    bodyValue: c.body,
  });
}
