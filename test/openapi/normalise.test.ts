import { describe, expect, it } from "vitest";
import { loadSpec, normaliseDocument, PROVIDER_IDS, SpecError, specPath } from "../../src/openapi/index.js";
import { parseSpecText } from "../../src/openapi/parse.js";

describe("the shipped specs normalise into operations", () => {
  it.each([
    [
      "cube",
      [
        "post generateSession",
        "post postTokenBySessionId",
        "post revokeSession",
        "get getEmbedDashboard",
        "get getDeployment",
        "post deploymentToken",
      ],
    ],
    ["explo", ["post generateJwt"]],
    ["toucan", ["post generateToken"]],
  ] as const)("%s", async (id, operations) => {
    const model = await loadSpec(specPath(id));
    expect(model.openapi).toBe("3.1.0");
    expect(model.operations.map((o) => `${o.method} ${o.id}`)).toEqual(operations);
    for (const op of model.operations) {
      if (op.method === "post") expect(op.requestBody?.content["application/json"]?.schema).toBeDefined();
      expect(Object.keys(op.responses)).toContain("200");
    }
  });

  it("resolves Cube's security: Api-Key or Bearer, and none for the session exchange", async () => {
    const cube = await loadSpec(specPath("cube"));
    const byId = Object.fromEntries(cube.operations.map((o) => [o.id, o]));
    expect(
      byId.generateSession?.security.map((alt) => alt.map((s) => [s.type, s.paramName ?? s.scheme])),
    ).toEqual([[["apiKey", "Authorization"]], [["http", "bearer"]]]);
    expect(byId.postTokenBySessionId?.security).toEqual([]);
  });

  it("follows component $refs of responses and keeps links and x-embedkit notes", async () => {
    const cube = await loadSpec(specPath("cube"));
    const generate = cube.operations.find((o) => o.id === "generateSession");
    expect(generate?.responses["401"]?.content["application/json"]?.examples[0]?.value).toMatchObject({
      statusCode: 401,
    });
    expect(generate?.responses["200"]?.links.map((l) => [l.name, l.operationId])).toEqual([
      ["ExchangeSession", "postTokenBySessionId"],
      ["RevokeSession", "revokeSession"],
      ["GetDeployment", "getDeployment"],
      ["MintDeploymentToken", "deploymentToken"],
      ["GetEmbedDashboard", "getEmbedDashboard"],
    ]);
    const exchange = cube.operations.find((o) => o.id === "postTokenBySessionId");
    expect(exchange?.extensions["x-embedkit-single-use"]).toMatchObject({ status: 401 });
    expect(exchange?.responses["200"]?.extensions["x-embedkit-token"]).toMatchObject({
      format: "jws",
      lifetimeSeconds: 86400,
    });
  });

  it("every provider in the registry has a spec", async () => {
    for (const id of PROVIDER_IDS) await expect(loadSpec(specPath(id))).resolves.toBeDefined();
  });
});

describe("bad specs are refused with where and why", () => {
  it.each([
    ["Swagger 2.0", { swagger: "2.0" }, "only OpenAPI 3.0 and 3.1 are supported (found Swagger 2.0)"],
    ["no version", { paths: {} }, "no `openapi` field"],
    [
      "a dangling $ref",
      { openapi: "3.1.0", paths: { "/a": { $ref: "#/nope" } } },
      "$ref #/nope points at nothing",
    ],
    [
      "a bad status",
      { openapi: "3.1.0", paths: { "/a": { get: { responses: { "2000": { description: "" } } } } } },
      '"2000" is not a status code',
    ],
    [
      "an unknown security scheme",
      { openapi: "3.1.0", security: [{ ghost: [] }], paths: { "/a": { get: { responses: {} } } } },
      'unknown security scheme "ghost"',
    ],
    [
      "an operation without responses",
      { openapi: "3.1.0", paths: { "/a": { get: {} } } },
      "an operation needs `responses`",
    ],
  ])("%s", (_label, doc, message) => {
    expect(() => normaliseDocument(doc as Record<string, unknown>, "t.yaml")).toThrow(SpecError);
    expect(() => normaliseDocument(doc as Record<string, unknown>, "t.yaml")).toThrow(message);
  });

  it.each([
    ["not YAML", "a: [1, 2", "not valid YAML or JSON"],
    ["a scalar", "42", "the document is not an object"],
    ["duplicate keys", "a: 1\na: 2", "not valid YAML or JSON"],
  ])("%s", (_label, text, message) => {
    expect(() => parseSpecText(text, "t.yaml")).toThrow(message);
  });

  it("a missing file says so", async () => {
    await expect(loadSpec("no/such/spec.yaml")).rejects.toThrow("no/such/spec.yaml: no such file");
  });
});
