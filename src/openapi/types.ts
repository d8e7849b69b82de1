/**
 * The plain model every other layer works from: an OpenAPI document flattened into operations,
 * with every non-schema `$ref` already followed. Schemas keep their `$ref`s; the schema engine
 * resolves those against the same document, so nothing is copied or dereferenced twice.
 */

export type HttpMethod = "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace";

export const HTTP_METHODS: readonly HttpMethod[] = [
  "get",
  "put",
  "post",
  "delete",
  "options",
  "head",
  "patch",
  "trace",
];

/** A JSON Schema as it stands in the document (OpenAPI 3.1 schemas are JSON Schema 2020-12). */
export type Schema = Record<string, unknown> | boolean;

export interface Example {
  name: string;
  summary?: string;
  value: unknown;
  /** JSON pointer into the document, for error messages. */
  pointer: string;
}

export interface MediaType {
  contentType: string;
  schema?: Schema;
  /** Pointer of the schema in the document, for error messages. */
  schemaPointer?: string;
  examples: Example[];
}

export interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required: boolean;
  schema?: Schema;
  /** OpenAPI `style`; absent means the default for `in` (simple for path/header, form for query/cookie). */
  style?: string;
  explode?: boolean;
  deprecated?: boolean;
  /** Query only: may the value be empty (`?q=`)? OpenAPI's default is no. */
  allowEmptyValue?: boolean;
  /** Values from the parameter's `example` and `examples` (3.0 and 3.1 alike), in document order. */
  examples: unknown[];
}

export interface Header {
  name: string;
  required: boolean;
  schema?: Schema;
}

export interface Link {
  name: string;
  /** The operation the link leads to, by operationId. */
  operationId: string;
  parameters: Record<string, unknown>;
  /** A runtime expression, or an object whose string leaves may be runtime expressions. */
  requestBody?: unknown;
  description?: string;
}

export interface ResponseSpec {
  /** "200", "4XX" or "default". */
  status: string;
  description: string;
  headers: Header[];
  /** Keyed by media type; empty for a response without a body. */
  content: Record<string, MediaType>;
  links: Link[];
  extensions: Extensions;
}

export interface SecurityScheme {
  name: string;
  type: "apiKey" | "http" | "oauth2" | "openIdConnect" | "mutualTLS";
  /** For apiKey. */
  in?: "header" | "query" | "cookie";
  /** Header, query or cookie name, for apiKey. */
  paramName?: string;
  /** For http: bearer, basic, ... (lowercase). */
  scheme?: string;
  description?: string;
}

/** One way to satisfy the operation's security: every scheme in it at once. Empty = anonymous. */
export type SecurityAlternative = SecurityScheme[];

export type Extensions = Record<string, unknown>;

export interface RequestBodySpec {
  required: boolean;
  content: Record<string, MediaType>;
}

export interface Operation {
  /** operationId, or "METHOD /path" when the spec gives none. */
  id: string;
  method: HttpMethod;
  path: string;
  summary?: string;
  description?: string;
  parameters: Parameter[];
  requestBody?: RequestBodySpec;
  responses: Record<string, ResponseSpec>;
  /** Alternatives; `[]` means the operation declares no security at all. */
  security: SecurityAlternative[];
  /** Every `x-*` property of the operation. */
  extensions: Extensions;
  tags: string[];
  deprecated: boolean;
  /** Pointer of the operation in the document. */
  pointer: string;
}

export interface ServerSpec {
  url: string;
  description?: string;
  variables: Record<string, { default: string; enum?: string[] }>;
}

export interface SpecModel {
  title: string;
  version: string;
  /** "3.1.0", "3.0.3", ... */
  openapi: string;
  servers: ServerSpec[];
  operations: Operation[];
  securitySchemes: Record<string, SecurityScheme>;
  extensions: Extensions;
  /** The whole bundled document; schema `$ref`s point into it. */
  document: Record<string, unknown>;
  /** Where it was loaded from. */
  source: string;
  /** SHA-256 of the file's text, when loaded from a file: names build-time artefacts made from it. */
  contentKey?: string;
}
