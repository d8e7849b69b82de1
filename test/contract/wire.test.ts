import { describe, expect, it } from "vitest";
import { bodyWireValue, encodeBody } from "../../src/contract/bodies/encode.js";
import { bodyKind, foreignContentType } from "../../src/contract/bodies/media.js";
import { transmittable } from "../../src/contract/cases/parameters.js";
import { numericBounds } from "../../src/contract/generate/values.js";
import { serialiseParams } from "../../src/contract/params/request.js";
import { encodeQuery } from "../../src/contract/params/serialise.js";
import { wireValue } from "../../src/contract/params/wire.js";
import type { MediaType, Operation, Parameter } from "../../src/openapi/index.js";

const param = (p: Partial<Parameter> & Pick<Parameter, "name" | "in">): Parameter => ({
  required: false,
  examples: [],
  ...p,
});
const op = (path: string, parameters: Parameter[]): Operation => ({
  id: "op",
  method: "get",
  path,
  parameters,
  responses: {},
  security: [],
  extensions: {},
  tags: [],
  deprecated: false,
  pointer: "",
});

// Examples from https://spec.openapis.org/oas/v3.1.0#style-examples
describe("parameters are serialised per style and explode", () => {
  const cases: Array<[string, Parameter, unknown, string]> = [
    ["query form (default) array", param({ name: "c", in: "query" }), ["blue", "black"], "?c=blue&c=black"],
    [
      "query form, explode false",
      param({ name: "c", in: "query", explode: false }),
      ["blue", "black"],
      "?c=blue%2Cblack",
    ],
    ["query form object exploded", param({ name: "c", in: "query" }), { R: 100, G: 200 }, "?R=100&G=200"],
    [
      "query deepObject",
      param({ name: "c", in: "query", style: "deepObject" }),
      { R: 100, G: 200 },
      "?c[R]=100&c[G]=200",
    ],
    [
      "query pipeDelimited",
      param({ name: "c", in: "query", style: "pipeDelimited", explode: false }),
      ["a", "b"],
      "?c=a%7Cb",
    ],
    ["path simple array", param({ name: "id", in: "path" }), [3, 4, 5], "/x/3,4,5"],
    ["path simple object exploded", param({ name: "id", in: "path", explode: true }), { a: 1 }, "/x/a=1"],
    ["path label", param({ name: "id", in: "path", style: "label" }), "blue", "/x/.blue"],
    ["path matrix", param({ name: "id", in: "path", style: "matrix" }), "blue", "/x/;id=blue"],
    ["path percent-encoded", param({ name: "id", in: "path" }), "a b/c", "/x/a%20b%2Fc"],
  ];
  it.each(cases)("%s", (_label, p, value, expected) => {
    const sink = serialiseParams(op(p.in === "path" ? "/x/{id}" : "/x", [p]), {
      [`${p.in}:${p.name}`]: value,
    });
    const qs = encodeQuery(sink.query);
    expect(p.in === "path" ? sink.path : `?${qs}`).toBe(expected);
  });

  it("headers and cookies, and a symbol leaves a parameter out", () => {
    const h = param({ name: "X-Ids", in: "header" });
    const c = param({ name: "session", in: "cookie" });
    const q = param({ name: "q", in: "query", required: true });
    const sink = serialiseParams(op("/x", [h, c, q]), {
      "header:x-ids": [1, 2],
      "cookie:session": "a b",
      "query:q": Symbol("omit"),
    });
    expect(sink.headers).toEqual({ "x-ids": "1,2" });
    expect(sink.cookies).toEqual(["session=a%20b"]);
    expect(sink.query).toEqual([]);
  });
});

describe("values are judged by what the server reads back", () => {
  const doc = {};
  const cases: Array<[string, Parameter, unknown, unknown, unknown]> = [
    [
      "an integer sent to a string parameter is a string",
      param({ name: "q", in: "query" }),
      { type: "string" },
      12345,
      "12345",
    ],
    ["numeric text to an integer parameter", param({ name: "q", in: "query" }), { type: "integer" }, 7, 7],
    [
      "a word to an integer parameter stays a word",
      param({ name: "q", in: "query" }),
      { type: "integer" },
      "x",
      "x",
    ],
    ["booleans", param({ name: "q", in: "query" }), { type: "boolean" }, true, true],
    [
      "header values lose surrounding spaces",
      param({ name: "h", in: "header" }),
      { type: "string" },
      " a ",
      "a",
    ],
    [
      "a comma inside an unexploded item splits it",
      param({ name: "q", in: "query", explode: false }),
      { type: "array", items: { type: "string" } },
      ["a,b"],
      ["a", "b"],
    ],
    [
      "deepObject ignores a non-object value",
      param({ name: "f", in: "query", style: "deepObject" }),
      { type: "object" },
      12345,
      undefined,
    ],
  ];
  it.each(cases)("%s", (_label, p, schema, value, expected) => {
    expect(wireValue(doc, p, schema, value)).toEqual(expected);
  });
});

describe("bodies of every kind", () => {
  const media = (contentType: string, schema: unknown = {}): MediaType => ({
    contentType,
    schema: schema as MediaType["schema"],
    examples: [],
  });
  it.each([
    ["application/json", "json"],
    ["application/merge-patch+json", "json"],
    ["*/*", "json"],
    ["application/x-www-form-urlencoded", "form"],
    ["multipart/form-data", "multipart"],
    ["text/plain; charset=utf-8", "text"],
    ["application/xml", "xml"],
    ["application/octet-stream", "binary"],
  ])("%s is written as %s", (type, kind) => expect(bodyKind(type)).toBe(kind));

  it("form: arrays repeat their key, nested objects go deepObject-style; values read back coerced", () => {
    const m = media("application/x-www-form-urlencoded", {
      type: "object",
      properties: { n: { type: "integer" }, tags: { type: "array", items: { type: "string" } } },
    });
    const encoded = encodeBody({}, m, { n: 3, tags: ["a", "b"], meta: { k: "v" } });
    expect(encoded).toEqual({
      contentType: "application/x-www-form-urlencoded",
      body: "n=3&tags=a&tags=b&meta%5Bk%5D=v",
    });
    expect(bodyWireValue({}, m, { n: 3, tags: ["a"] })).toEqual({ n: 3, tags: ["a"] });
    expect(bodyWireValue({}, m, { n: "three" })).toEqual({ n: "three" });
  });

  it("multipart: a part per property, files as octets, a body the platform parses back", async () => {
    const m = media("multipart/form-data", {
      type: "object",
      properties: { file: { type: "string", format: "binary" }, caption: { type: "string" } },
    });
    const encoded = encodeBody({}, m, { file: "abc", caption: "hi" });
    const form = await new Request("http://x/", {
      method: "POST",
      headers: { "content-type": encoded.contentType },
      body: encoded.body,
    }).formData();
    expect(form.get("caption")).toBe("hi");
    expect((form.get("file") as File).name).toBe("file.bin");
  });

  it("text and wildcard types; a foreign content type for the wrong-type case", () => {
    expect(encodeBody({}, media("text/plain"), "hello")).toEqual({
      contentType: "text/plain",
      body: "hello",
    });
    expect(encodeBody({}, media("*/*"), { a: 1 })).toEqual({
      contentType: "application/json",
      body: '{"a":1}',
    });
    const withBody = (types: string[]) => ({
      ...op("/x", []),
      requestBody: { required: true, content: Object.fromEntries(types.map((t) => [t, media(t)])) },
    });
    expect(foreignContentType(withBody(["text/plain"]))).toBe("application/json");
    expect(foreignContentType(withBody(["application/json"]))).toBe("text/plain");
    expect(foreignContentType(withBody(["*/*"]))).toBeUndefined();
  });
});

describe("number bounds read the 3.0 and the 3.1 way", () => {
  it.each([
    [
      { minimum: 0, exclusiveMinimum: true, maximum: 5 },
      { min: 1, max: 5 },
    ],
    [
      { exclusiveMinimum: 0, exclusiveMaximum: 5 },
      { min: 1, max: 4 },
    ],
    [
      { minimum: 2, maximum: 3 },
      { min: 2, max: 3 },
    ],
    [{ maximum: -10 }, { min: -1010, max: -10 }],
  ])("%j → %j", (schema, bounds) => expect(numericBounds(schema)).toEqual(bounds));
});

describe("an empty query value", () => {
  it.each([
    [param({ name: "q", in: "query" }), "", false],
    [param({ name: "q", in: "query", allowEmptyValue: true }), "", true],
    [param({ name: "q", in: "query" }), "x", true],
    [param({ name: "p", in: "path" }), "", false],
    [param({ name: "h", in: "header" }), "a\nb", false],
  ])("%j with %j: transmittable %s", (p, value, ok) => expect(transmittable(p, value)).toBe(ok));
});
