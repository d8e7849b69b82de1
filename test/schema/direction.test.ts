import { describe, expect, it } from "vitest";
import { SchemaEngine } from "../../src/schema/index.js";

const doc = {
  openapi: "3.0.3",
  components: {
    schemas: {
      Id: { type: "string", readOnly: true },
      Note: {
        type: "object",
        required: ["id", "title", "secret"],
        properties: {
          id: { $ref: "#/components/schemas/Id" },
          title: { type: "string" },
          secret: { type: "string", writeOnly: true },
        },
      },
    },
  },
};

describe("readOnly and writeOnly by direction", () => {
  const engine = new SchemaEngine(doc, { id: "direction-test" });
  const note = { $ref: "#/components/schemas/Note" };
  it.each([
    ["request", { title: "t", secret: "s" }, []],
    ["request", { id: "1", title: "t" }, ["body: must have required property 'secret'"]],
    ["response", { id: "1", title: "t" }, []],
    ["response", { title: "t", secret: "s" }, ["body: must have required property 'id'"]],
    [
      "any",
      { title: "t" },
      ["body: must have required property 'id'", "body: must have required property 'secret'"],
    ],
  ] as const)("%s %j", (direction, value, problems) => {
    expect(engine.validate(note, value, "body", direction).map((p) => `${p.path}: ${p.message}`)).toEqual(
      problems,
    );
  });
});

describe("unknown formats are collected by name, never as ajv's internal URNs", () => {
  it("names each once", () => {
    const engine = new SchemaEngine({ openapi: "3.1.0" }, { id: "formats-test" });
    expect(engine.isValid({ type: "string", format: "repo-name" }, "x")).toBe(true);
    expect(engine.isValid({ type: "string", format: "repo-name", maxLength: 3 }, "xy")).toBe(true);
    expect(engine.isValid({ type: "string", format: "email" }, "nope")).toBe(false);
    expect([...engine.unknownFormats]).toEqual(["repo-name"]);
  });
});
