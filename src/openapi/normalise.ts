import { SpecError } from "./errors.js";
import { getAtPointer, joinPointer } from "./pointer.js";
import {
  type Example,
  type Extensions,
  type Header,
  HTTP_METHODS,
  type Link,
  type MediaType,
  type Operation,
  type Parameter,
  type RequestBodySpec,
  type ResponseSpec,
  type Schema,
  type SecurityAlternative,
  type SecurityScheme,
  type ServerSpec,
  type SpecModel,
} from "./types.js";

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

/** Follows internal `$ref`s of non-schema objects (parameters, responses, ...) to their target. */
class Resolver {
  /** Each `$ref` target looked up once: GitHub's spec refers to the same 900 components ~40,000 times. */
  readonly #targets = new Map<string, unknown>();

  constructor(
    readonly doc: Obj,
    readonly source: string,
  ) {}

  follow(node: unknown, pointer: string): { node: Obj; pointer: string } {
    let current = node;
    let at = pointer;
    for (let hops = 0; isObj(current) && typeof current.$ref === "string"; hops++) {
      const ref = current.$ref;
      if (hops > 32) throw new SpecError(`$ref chain too long or circular at ${ref}`, this.source, at);
      if (!ref.startsWith("#")) throw new SpecError(`unresolved external $ref ${ref}`, this.source, at);
      at = ref.slice(1);
      if (!this.#targets.has(ref)) this.#targets.set(ref, getAtPointer(this.doc, ref));
      current = this.#targets.get(ref);
      if (current === undefined) throw new SpecError(`$ref ${ref} points at nothing`, this.source, pointer);
    }
    if (!isObj(current)) throw new SpecError("expected an object", this.source, at);
    return { node: current, pointer: at };
  }
}

function extensionsOf(node: Obj): Extensions {
  const out: Extensions = {};
  for (const [k, v] of Object.entries(node)) if (k.startsWith("x-")) out[k] = v;
  return out;
}

function examplesOf(media: Obj, pointer: string, r: Resolver): Example[] {
  const out: Example[] = [];
  if ("example" in media) out.push({ name: "example", value: media.example, pointer: `${pointer}/example` });
  if (isObj(media.examples)) {
    for (const [name, raw] of Object.entries(media.examples)) {
      const { node, pointer: at } = r.follow(raw, joinPointer(pointer, "examples", name));
      if (!("value" in node)) continue; // externalValue examples are not fetched
      const example: Example = { name, value: node.value, pointer: `${at}/value` };
      if (typeof node.summary === "string") example.summary = node.summary;
      out.push(example);
    }
  }
  return out;
}

function contentOf(raw: unknown, pointer: string, r: Resolver): Record<string, MediaType> {
  const out: Record<string, MediaType> = {};
  if (!isObj(raw)) return out;
  for (const [contentType, media] of Object.entries(raw)) {
    const at = joinPointer(pointer, contentType);
    if (!isObj(media)) throw new SpecError("media type must be an object", r.source, at);
    const entry: MediaType = { contentType, examples: examplesOf(media, at, r) };
    if (media.schema !== undefined) {
      entry.schema = media.schema as Schema;
      entry.schemaPointer = `${at}/schema`;
    }
    out[contentType] = entry;
  }
  return out;
}

function parametersOf(raws: unknown[], pointer: string, r: Resolver): Parameter[] {
  return raws.map((raw, i) => {
    const { node, pointer: at } = r.follow(raw, joinPointer(pointer, i));
    const where = node.in;
    if (typeof node.name !== "string" || !["path", "query", "header", "cookie"].includes(String(where))) {
      throw new SpecError(
        "a parameter needs a name and an `in` of path, query, header or cookie",
        r.source,
        at,
      );
    }
    const param: Parameter = {
      name: node.name,
      in: where as Parameter["in"],
      required: node.required === true || where === "path",
      examples: examplesOf(node, at, r).map((e) => e.value),
    };
    if (node.schema !== undefined) param.schema = node.schema as Schema;
    if (typeof node.style === "string") param.style = node.style;
    if (typeof node.explode === "boolean") param.explode = node.explode;
    if (node.deprecated === true) param.deprecated = true;
    if (node.allowEmptyValue === true) param.allowEmptyValue = true;
    return param;
  });
}

function headersOf(raw: unknown, pointer: string, r: Resolver): Header[] {
  if (!isObj(raw)) return [];
  return Object.entries(raw).map(([name, value]) => {
    const { node } = r.follow(value, joinPointer(pointer, name));
    const header: Header = { name, required: node.required === true };
    if (node.schema !== undefined) header.schema = node.schema as Schema;
    return header;
  });
}

function linksOf(raw: unknown, pointer: string, r: Resolver): Link[] {
  if (!isObj(raw)) return [];
  return Object.entries(raw).map(([name, value]) => {
    const { node, pointer: at } = r.follow(value, joinPointer(pointer, name));
    if (typeof node.operationId !== "string") {
      throw new SpecError("only links with an operationId are supported", r.source, at);
    }
    const link: Link = {
      name,
      operationId: node.operationId,
      parameters: isObj(node.parameters) ? node.parameters : {},
    };
    if ("requestBody" in node) link.requestBody = node.requestBody;
    if (typeof node.description === "string") link.description = node.description;
    return link;
  });
}

function responsesOf(raw: unknown, pointer: string, r: Resolver): Record<string, ResponseSpec> {
  const out: Record<string, ResponseSpec> = {};
  if (!isObj(raw)) throw new SpecError("an operation needs `responses`", r.source, pointer);
  for (const [status, value] of Object.entries(raw)) {
    if (status.startsWith("x-")) continue;
    if (!/^([1-5](\d\d|XX)|default)$/.test(status)) {
      throw new SpecError(
        `"${status}" is not a status code, a range like 4XX, or default`,
        r.source,
        pointer,
      );
    }
    const { node, pointer: at } = r.follow(value, joinPointer(pointer, status));
    out[status] = {
      status,
      description: typeof node.description === "string" ? node.description : "",
      headers: headersOf(node.headers, `${at}/headers`, r),
      content: contentOf(node.content, `${at}/content`, r),
      links: linksOf(node.links, `${at}/links`, r),
      extensions: extensionsOf(node),
    };
  }
  return out;
}

function securitySchemesOf(doc: Obj, r: Resolver): Record<string, SecurityScheme> {
  const raw = isObj(doc.components) ? doc.components.securitySchemes : undefined;
  const out: Record<string, SecurityScheme> = {};
  if (!isObj(raw)) return out;
  for (const [name, value] of Object.entries(raw)) {
    const { node } = r.follow(value, joinPointer("/components/securitySchemes", name));
    const scheme: SecurityScheme = { name, type: node.type as SecurityScheme["type"] };
    if (typeof node.in === "string") scheme.in = node.in as SecurityScheme["in"];
    if (typeof node.name === "string") scheme.paramName = node.name;
    if (typeof node.scheme === "string") scheme.scheme = node.scheme.toLowerCase();
    if (typeof node.description === "string") scheme.description = node.description;
    out[name] = scheme;
  }
  return out;
}

function securityOf(
  raw: unknown,
  schemes: Record<string, SecurityScheme>,
  pointer: string,
  source: string,
): SecurityAlternative[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((requirement, i) => {
    if (!isObj(requirement)) throw new SpecError("a security requirement must be an object", source, pointer);
    return Object.keys(requirement).map((name) => {
      const scheme = schemes[name];
      if (!scheme) throw new SpecError(`unknown security scheme "${name}"`, source, joinPointer(pointer, i));
      return scheme;
    });
  });
}

function requestBodyOf(raw: unknown, pointer: string, r: Resolver): RequestBodySpec | undefined {
  if (raw === undefined) return undefined;
  const { node, pointer: at } = r.follow(raw, pointer);
  return { required: node.required === true, content: contentOf(node.content, `${at}/content`, r) };
}

function serversOf(raw: unknown): ServerSpec[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isObj).map((s) => {
    const variables: ServerSpec["variables"] = {};
    if (isObj(s.variables)) {
      for (const [k, v] of Object.entries(s.variables)) {
        if (isObj(v))
          variables[k] = {
            default: String(v.default ?? ""),
            ...(Array.isArray(v.enum) ? { enum: v.enum.map(String) } : {}),
          };
      }
    }
    const server: ServerSpec = { url: String(s.url ?? "/"), variables };
    if (typeof s.description === "string") server.description = s.description;
    return server;
  });
}

function operationsOf(doc: Obj, schemes: Record<string, SecurityScheme>, r: Resolver): Operation[] {
  const paths = doc.paths;
  if (paths !== undefined && !isObj(paths))
    throw new SpecError("`paths` must be an object", r.source, "/paths");
  const ops: Operation[] = [];
  for (const [path, rawItem] of Object.entries(paths ?? {})) {
    if (path.startsWith("x-")) continue;
    const { node: item, pointer: itemAt } = r.follow(rawItem, joinPointer("/paths", path));
    const shared = Array.isArray(item.parameters)
      ? parametersOf(item.parameters, `${itemAt}/parameters`, r)
      : [];
    for (const method of HTTP_METHODS) {
      const raw = item[method];
      if (raw === undefined) continue;
      const at = joinPointer(itemAt, method);
      if (!isObj(raw)) throw new SpecError("an operation must be an object", r.source, at);
      const own = Array.isArray(raw.parameters) ? parametersOf(raw.parameters, `${at}/parameters`, r) : [];
      // Operation-level parameters override path-level ones with the same name and location.
      const parameters = [
        ...shared.filter((p) => !own.some((o) => o.name === p.name && o.in === p.in)),
        ...own,
      ];
      const op: Operation = {
        id: typeof raw.operationId === "string" ? raw.operationId : `${method.toUpperCase()} ${path}`,
        method,
        path,
        parameters,
        responses: responsesOf(raw.responses, `${at}/responses`, r),
        security: securityOf(raw.security ?? doc.security, schemes, `${at}/security`, r.source),
        extensions: extensionsOf(raw),
        tags: Array.isArray(raw.tags) ? raw.tags.filter((t): t is string => typeof t === "string") : [],
        deprecated: raw.deprecated === true,
        pointer: at,
      };
      const body = requestBodyOf(raw.requestBody, `${at}/requestBody`, r);
      if (body) op.requestBody = body;
      if (typeof raw.summary === "string") op.summary = raw.summary;
      if (typeof raw.description === "string") op.description = raw.description;
      ops.push(op);
    }
  }
  return ops;
}

/** Turns a parsed OpenAPI 3.0/3.1 document into the plain model. Throws SpecError on what it cannot use. */
export function normaliseDocument(doc: Obj, source: string): SpecModel {
  const version = typeof doc.openapi === "string" ? doc.openapi : "";
  if (!/^3\.[01]\.\d+$/.test(version)) {
    const found =
      typeof doc.swagger === "string" ? `Swagger ${doc.swagger}` : version || "no `openapi` field";
    throw new SpecError(`only OpenAPI 3.0 and 3.1 are supported (found ${found})`, source, "/openapi");
  }
  const info = isObj(doc.info) ? doc.info : {};
  const r = new Resolver(doc, source);
  const securitySchemes = securitySchemesOf(doc, r);
  return {
    title: typeof info.title === "string" ? info.title : source,
    version: typeof info.version === "string" ? info.version : "",
    openapi: version,
    servers: serversOf(doc.servers),
    operations: operationsOf(doc, securitySchemes, r),
    securitySchemes,
    extensions: { ...extensionsOf(info), ...extensionsOf(doc) },
    document: doc,
    source,
  };
}
