import type { MediaType, Operation, SecurityScheme, SpecModel } from "../../openapi/index.js";
import type { SchemaEngine, Validator } from "../../schema/index.js";
import { createRng, deriveSeed } from "../generate/prng.js";
import type { Obj } from "../generate/schema-walk.js";
import { ValueGenerator } from "../generate/values.js";
import type { Case, Expectation, Phase, WireRequest } from "../types.js";
import type { TestData } from "./test-data.js";

/** Credentials by security scheme name: the header (or query) value to send as is. */
export type Credentials = Record<string, string>;

export interface CaseSource {
  spec: SpecModel;
  engine: SchemaEngine;
  seed: number;
  /** Cap per operation and phase. */
  maxCases: number;
  credentials: Credentials;
  /** Sent with every request (`-H`); credentials of the chosen scheme override a same-named one. */
  headers?: Record<string, string>;
  /** Values that let valid requests succeed (`--data`); see test-data.ts. */
  data?: TestData;
}

const isJson = (type: string) => /^application\/([\w.+-]*\+)?json\b/i.test(type);

/** The operation's JSON request body media type, if it has one. */
export function jsonBody(op: Operation): MediaType | undefined {
  const content = op.requestBody?.content ?? {};
  const key = Object.keys(content).find(isJson);
  return key ? content[key] : undefined;
}

/** Per operation and phase: its own PRNG stream and generator, derived from the run's seed. */
export function generatorFor(src: CaseSource, op: Operation, phase: Phase): ValueGenerator {
  return new ValueGenerator(src.spec.document as Obj, createRng(deriveSeed(src.seed, op.id, phase)));
}

export function bodyValidator(src: CaseSource, op: Operation): Validator | undefined {
  const media = jsonBody(op);
  return media?.schema === undefined ? undefined : src.engine.compileSchema(media.schema);
}

/** The first security alternative the run has every credential for, else the first one. */
export function chosenSchemes(op: Operation, credentials: Credentials): SecurityScheme[] {
  if (op.security.length === 0 || op.security.some((alt) => alt.length === 0)) return [];
  return op.security.find((alt) => alt.every((s) => s.name in credentials)) ?? op.security[0] ?? [];
}

/** Where a scheme's credential goes: a header name, or a query parameter. */
export function credentialTarget(scheme: SecurityScheme): { in: "header" | "query"; name: string } {
  if (scheme.type === "apiKey" && scheme.in === "query") return { in: "query", name: scheme.paramName ?? "" };
  if (scheme.type === "apiKey" && scheme.paramName)
    return { in: "header", name: scheme.paramName.toLowerCase() };
  return { in: "header", name: "authorization" };
}

export interface RequestParts {
  body?: unknown;
  /** Sent verbatim instead of JSON.stringify(body): for malformed JSON. */
  rawBody?: string;
  contentType?: string;
  /** Credential overrides by scheme name; `null` drops the credential. */
  credentials?: Record<string, string | null>;
  /** Path parameter values that replace generated ones (an OpenAPI link's `parameters`). */
  pathParams?: Record<string, string>;
}

/**
 * Builds the wire request: path parameters filled from the generator (full mode, so stable),
 * credentials of the chosen alternative, the body serialised once.
 */
export function buildRequest(src: CaseSource, op: Operation, parts: RequestParts): WireRequest {
  const gen = generatorFor(src, op, "examples");
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(src.headers ?? {})) headers[name.toLowerCase()] = value;
  const query = new URLSearchParams();
  let path = op.path;
  for (const p of op.parameters) {
    if (!p.required) continue;
    const linked = p.in === "path" ? parts.pathParams?.[p.name] : undefined;
    const given = src.data?.[op.id]?.[p.name] ?? src.data?.["*"]?.[p.name];
    const v =
      linked ?? String(given?.length ? given[0] : gen.generate(p.schema ?? { type: "string" }, "full"));
    if (p.in === "path") path = path.replace(`{${p.name}}`, encodeURIComponent(v));
    else if (p.in === "query") query.set(p.name, v);
    else if (p.in === "header") headers[p.name.toLowerCase()] = v;
  }
  for (const scheme of chosenSchemes(op, src.credentials)) {
    const override = parts.credentials?.[scheme.name];
    const value = override === undefined ? src.credentials[scheme.name] : override;
    if (value === null || value === undefined) continue;
    const target = credentialTarget(scheme);
    if (target.in === "query") query.set(target.name, value);
    else headers[target.name] = value;
  }
  const qs = query.toString();
  const request: WireRequest = {
    method: op.method.toUpperCase(),
    path: qs ? `${path}?${qs}` : path,
    headers,
  };
  const media = jsonBody(op);
  if (parts.rawBody !== undefined || parts.body !== undefined) {
    headers["content-type"] = parts.contentType ?? media?.contentType ?? "application/json";
    request.body = parts.rawBody ?? JSON.stringify(parts.body);
  }
  return request;
}

/** A one-step case. */
export function singleCase(
  op: Operation,
  phase: Phase,
  n: number,
  detail: string,
  request: WireRequest,
  expect: Expectation,
  bodyValue?: unknown,
): Case {
  return {
    id: `${op.id}/${phase}/${n}`,
    operationId: op.id,
    origin: { phase, detail },
    steps: [{ operationId: op.id, request, expect, ...(bodyValue === undefined ? {} : { bodyValue }) }],
  };
}

/** A valid body to build on: the first example that validates, else a generated full value. */
export function baseBody(src: CaseSource, op: Operation): unknown {
  const media = jsonBody(op);
  if (!media) return undefined;
  const validate = bodyValidator(src, op);
  const example = media.examples.find((e) => !validate || validate(e.value).length === 0);
  if (example) return example.value;
  return generatorFor(src, op, "examples").generate(media.schema ?? {}, "full");
}

export type { Obj };
