import { beforeAll, describe, expect, it } from "vitest";
import { loadSpec, specPath } from "../../src/openapi/index.js";
import { formatProblem, SchemaEngine, SchemaError, type Validator } from "../../src/schema/index.js";

let engine: SchemaEngine;
let generateSession: Validator;
let attributeValue: Validator;
let profile: Validator;

beforeAll(async () => {
  const cube = await loadSpec(specPath("cube"));
  engine = new SchemaEngine(cube.document, { id: "cube-test" });
  generateSession = engine.compile("/components/schemas/GenerateSession");
  attributeValue = engine.compile("/components/schemas/UserAttributeInput/properties/value");
  profile = engine.compile("/components/schemas/EmbedUserProfile");
});

describe("userAttributes[].value: string | number | boolean | string[] | number[] | null", () => {
  it.each([
    ["a string", "Sales"],
    ["an empty string", ""],
    ["a number", 42.5],
    ["a boolean", true],
    ["null", null],
    ["a string array", ["a", "b"]],
    ["a number array", [1, 2]],
    // The reason the spec says anyOf: [] is both a string[] and a number[], so oneOf would reject it.
    ["an empty array", []],
  ])("accepts %s", (_label, value) => {
    expect(attributeValue(value)).toEqual([]);
  });

  it.each([
    ["an object", { a: 1 }],
    ["a mixed array", ["a", 1]],
    ["an array of booleans", [true]],
    ["an array of nulls", [null]],
  ])("rejects %s with one readable problem", (_label, value) => {
    const problems = attributeValue(value, "value");
    expect(problems).toHaveLength(1);
    expect(formatProblem(problems[0] as never)).toBe(
      "value: must be string | number | boolean | string[] | number[] | null",
    );
  });
});

describe("nullable fields", () => {
  it.each([
    ["email null", { deploymentId: 1, email: null }, []],
    ["settings null", { deploymentId: 1, settings: null }, []],
    ["userProfile null", { deploymentId: 1, userProfile: null }, []],
    ["embedTenantName null", { deploymentId: 1, embedTenantName: null }, []],
    ["groups null", { deploymentId: 1, groups: null }, []],
    ["email as number", { deploymentId: 1, email: 5 }, ["body.email: must be string or null"]],
    ["groups of numbers", { deploymentId: 1, groups: [1] }, ["body.groups[0]: must be string"]],
    ["deploymentId missing", {}, ["body: must have required property 'deploymentId'"]],
    ["deploymentId null", { deploymentId: null }, ["body.deploymentId: must be number"]],
    [
      "bad tenant name",
      { deploymentId: 1, embedTenantName: "Acme" },
      ['body.embedTenantName: must match pattern "^[a-z][a-z0-9-]{0,34}[a-z0-9]$"'],
    ],
    ["unknown properties tolerated", { deploymentId: 1, tenantId: 1, tenantName: "My Tenant" }, []],
  ])("%s", (_label, body, expected) => {
    expect(generateSession(body).map(formatProblem)).toEqual(expected);
  });

  it("reports every problem, not just the first", () => {
    const problems = generateSession({ email: 1, userAttributes: [{ value: {} }] }).map(formatProblem);
    expect(problems).toEqual(
      expect.arrayContaining([
        "body: must have required property 'deploymentId'",
        "body.email: must be string or null",
        "body.userAttributes[0]: must have required property 'name'",
        "body.userAttributes[0].value: must be string | number | boolean | string[] | number[] | null",
      ]),
    );
  });
});

describe("the url format (absolute http/https URL)", () => {
  it.each([
    ["https://acme.example/a.png", true],
    ["http://127.0.0.1:8080/x?y=1", true],
    ["HTTPS://ACME.EXAMPLE/", true],
    ["ftp://acme.example/a.png", false],
    ["/relative/a.png", false],
    ["acme.example/a.png", false],
    ["https://", false],
    ["https:// spaced.example", false],
    ["javascript:alert(1)", false],
    ["", false],
  ])("%s → %s", (picture, valid) => {
    expect(profile({ picture }).length === 0).toBe(valid);
  });
});

describe("the engine", () => {
  it("compiles a schema once and returns the cached validator", () => {
    expect(engine.compile("/components/schemas/GenerateSession")).toBe(generateSession);
    const schema = { type: "string" };
    expect(engine.compileSchema(schema)).toBe(engine.compileSchema(schema));
  });

  it("rewrites OpenAPI 3.0 nullable and boolean exclusive bounds", () => {
    const legacy = new SchemaEngine(
      {
        openapi: "3.0.3",
        components: {
          schemas: { N: { type: "integer", nullable: true, minimum: 1, exclusiveMinimum: true } },
        },
      },
      { id: "legacy" },
    );
    const validate = legacy.compile("/components/schemas/N");
    expect(validate(null)).toEqual([]);
    expect(validate(2)).toEqual([]);
    expect(validate(1).map((p) => p.keyword)).toEqual(["exclusiveMinimum"]);
  });

  it("ignores x- annotations but keeps properties whose names start with x-", () => {
    const e = new SchemaEngine({ openapi: "3.1.0" }, { id: "x-names" });
    const validate = e.compileSchema({
      type: "object",
      "x-note": "ignored",
      required: ["x-id"],
      properties: { "x-id": { type: "string" } },
    });
    expect(validate({ "x-id": "a" })).toEqual([]);
    expect(validate({ "x-id": 1 }).map(formatProblem)).toEqual(['body["x-id"]: must be string']);
  });
});

describe("a schema that cannot be compiled", () => {
  it("throws a SchemaError that says where, instead of ajv's internals", () => {
    const e = new SchemaEngine(
      { openapi: "3.1.0", components: { schemas: { Bad: { type: "strin" } } } },
      { id: "bad spec.yaml" },
    );
    expect(() => e.compile("/components/schemas/Bad")).toThrow(SchemaError);
    expect(() => e.compile("/components/schemas/Bad")).toThrow(
      /^\/components\/schemas\/Bad: cannot compile the schema: /,
    );
  });
});

describe("compileFirstProblem, for bodies too large to list every problem of", () => {
  it("finds the first problem only, where the full validator finds them all", () => {
    const body = { deploymentId: 32, groups: Array.from({ length: 5_000 }, () => 1) };
    expect(generateSession(body)).toHaveLength(5_000);
    const first = engine.compileFirstProblem("/components/schemas/GenerateSession")(body);
    expect(first.map(formatProblem)).toEqual(["body.groups[0]: must be string"]);
  });

  it("agrees on what is valid", () => {
    const validate = engine.compileFirstProblem("/components/schemas/GenerateSession");
    expect(validate({ deploymentId: 32, groups: ["a"], userAttributes: [{ name: "x", value: [] }] })).toEqual(
      [],
    );
    expect(engine.compileFirstProblem("/components/schemas/GenerateSession")).toBe(validate);
  });
});
