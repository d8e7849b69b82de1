import type { MediaType, Operation, SecurityScheme, SpecModel } from "../../openapi/index.js";
import type { SchemaEngine, Validator } from "../../schema/index.js";
import { bodyWireValue, encodeBody } from "../bodies/encode.js";
import { bodyKind, requestMedia } from "../bodies/media.js";
import { createRng, deriveSeed } from "../generate/prng.js";
import type { Obj } from "../generate/schema-walk.js";
import { ValueGenerator } from "../generate/values.js";
import { type ParamSink, serialiseParams } from "../params/request.js";
import { encodeQuery } from "../params/serialise.js";
import type { Case, Expectation, Phase, Shrinkable, WireRequest } from "../types.js";
import { defaultParams, type ParamValues } from "./parameters.js";
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

/**
 * The request media type cases are generated for (JSON first, then form, multipart, text, any
 * other; XML only when nothing else is offered, and then never generated).
 */
export function jsonBody(op: Operation): MediaType | undefined {
  const media = requestMedia(op);
  return media && bodyKind(media.contentType) !== "xml" ? media : undefined;
}

/** Per operation and phase: its own PRNG stream and generator, derived from the run's seed. */
export function generatorFor(src: CaseSource, op: Operation, phase: Phase): ValueGenerator {
  return new ValueGenerator(src.spec.document as Obj, createRng(deriveSeed(src.seed, op.id, phase)));
}

/**
 * Validates a body value as the server will read it: form and multipart fields as coerced text,
 * `readOnly` properties not demanded.
 */
export function bodyValidator(src: CaseSource, op: Operation): Validator | undefined {
  const media = jsonBody(op);
  if (media?.schema === undefined) return undefined;
  const validate = src.engine.compileSchema(media.schema, "request");
  const doc = src.spec.document as Obj;
  return (value, root) => validate(bodyWireValue(doc, media, value), root);
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
  /** Parameter values by `paramKey` over the defaults; `OMIT` leaves one out. */
  params?: ParamValues;
  /** Sent verbatim instead of JSON.stringify(body): for malformed JSON. */
  rawBody?: string;
  contentType?: string;
  /** Credential overrides by scheme name; `null` drops the credential. */
  credentials?: Record<string, string | null>;
}

function credentialsInto(src: CaseSource, op: Operation, parts: RequestParts, sink: ParamSink): void {
  for (const scheme of chosenSchemes(op, src.credentials)) {
    const override = parts.credentials?.[scheme.name];
    const value = override === undefined ? src.credentials[scheme.name] : override;
    if (value === null || value === undefined) continue;
    const target = credentialTarget(scheme);
    if (target.in === "query") sink.query.push([target.name, value]);
    else sink.headers[target.name] = value;
  }
}

/**
 * Builds the wire request: parameters (defaults, then the case's own values) serialised per their
 * style, credentials of the chosen alternative, the body encoded for its media type.
 */
export function buildRequest(src: CaseSource, op: Operation, parts: RequestParts): WireRequest {
  const values = { ...defaultParams(src, op), ...parts.params };
  const sink = serialiseParams(op, values);
  // `-H` headers first: a header parameter, then a credential of the chosen scheme, overrides one.
  const extra: Record<string, string> = {};
  for (const [name, value] of Object.entries(src.headers ?? {})) extra[name.toLowerCase()] = value;
  sink.headers = { ...extra, ...sink.headers };
  credentialsInto(src, op, parts, sink);
  const qs = encodeQuery(sink.query);
  const headers = sink.headers;
  if (sink.cookies.length) headers.cookie = sink.cookies.join("; ");
  const request: WireRequest = {
    method: op.method.toUpperCase(),
    path: qs ? `${sink.path}?${qs}` : sink.path,
    headers,
  };
  const media = jsonBody(op);
  if (parts.rawBody !== undefined) {
    headers["content-type"] = parts.contentType ?? media?.contentType ?? "application/json";
    request.body = parts.rawBody;
  } else if (parts.body !== undefined) {
    const encoded = media
      ? encodeBody(src.spec.document as Obj, media, parts.body)
      : { contentType: "application/json", body: JSON.stringify(parts.body) };
    headers["content-type"] = parts.contentType ?? encoded.contentType;
    request.body = encoded.body;
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

/** How a body case is rebuilt from a simpler body while shrinking; `keep` says which bodies still qualify. */
export function bodyShrinker(
  src: CaseSource,
  op: Operation,
  value: unknown,
  keep: (candidate: unknown) => boolean,
): Shrinkable {
  return {
    value,
    keep,
    rebuild: (candidate) => ({ request: buildRequest(src, op, { body: candidate }), bodyValue: candidate }),
  };
}
