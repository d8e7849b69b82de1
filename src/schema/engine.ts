import { Ajv2020 } from "ajv/dist/2020.js";
import { convertNode } from "./convert.js";
import { registerFormats } from "./formats.js";
import { type Problem, toProblems } from "./problems.js";

type Obj = Record<string, unknown>;

/** Validates one value; returns every problem found (none when valid). */
export type Validator = (data: unknown, root?: string) => Problem[];

export interface SchemaEngineOptions {
  /** Unique per document: schemas are registered under `urn:embedkit:<id>`. */
  id: string;
  /** "3.1.0" or "3.0.x"; 3.0 schemas get `nullable` rewritten. Defaults to the document's own field. */
  openapi?: string;
}

const MOUNT = "/$defs/document";

/**
 * The one JSON Schema 2020-12 engine. The whole OpenAPI document is registered once, so internal
 * `$ref`s resolve in place; every validator is compiled on first use and cached, so the emulator and
 * the contract checks pay for compilation once per schema, never per request.
 */
export class SchemaEngine {
  readonly #ajv: Ajv2020;
  readonly #documentId: string;
  readonly #openapi30: boolean;
  readonly #byPointer = new Map<string, Validator>();
  readonly #bySchema = new WeakMap<object, Validator>();

  constructor(document: Obj, options: SchemaEngineOptions) {
    this.#documentId = `urn:embedkit:${options.id}`;
    const version = options.openapi ?? String(document.openapi ?? "3.1.0");
    this.#openapi30 = version.startsWith("3.0");
    // strict is off: user specs carry OpenAPI-only keywords (example, discriminator, xml) that
    // 2020-12 does not know, and those must not make a valid spec unusable.
    this.#ajv = new Ajv2020({ strict: false, allErrors: true, verbose: true, allowUnionTypes: true });
    registerFormats(this.#ajv);
    const converted = convertNode(document, this.#convertOptions());
    this.#ajv.addSchema({ $id: this.#documentId, $defs: { document: converted } });
  }

  #convertOptions() {
    return { documentId: this.#documentId, mountPointer: MOUNT, openapi30: this.#openapi30 };
  }

  #wrap(validate: ReturnType<Ajv2020["compile"]>): Validator {
    return (data, root = "body") => (validate(data) ? [] : toProblems(validate.errors ?? [], root));
  }

  /** The validator of the schema at `pointer` (e.g. `/components/schemas/GenerateSession`) in the document. */
  compile(pointer: string): Validator {
    let v = this.#byPointer.get(pointer);
    if (!v) {
      v = this.#wrap(this.#ajv.compile({ $ref: `${this.#documentId}#${MOUNT}${pointer}` }));
      this.#byPointer.set(pointer, v);
    }
    return v;
  }

  /** The validator of a schema object; `$ref`s inside it resolve against the document. */
  compileSchema(schema: unknown): Validator {
    if (typeof schema === "boolean") return schema ? () => [] : (_d, root = "body") => [falseProblem(root)];
    if (schema === null || typeof schema !== "object")
      throw new TypeError("a schema must be an object or a boolean");
    let v = this.#bySchema.get(schema);
    if (!v) {
      v = this.#wrap(this.#ajv.compile(convertNode(schema, this.#convertOptions()) as Obj));
      this.#bySchema.set(schema, v);
    }
    return v;
  }

  validate(schema: unknown, data: unknown, root = "body"): Problem[] {
    return this.compileSchema(schema)(data, root);
  }

  isValid(schema: unknown, data: unknown): boolean {
    return this.validate(schema, data).length === 0;
  }
}

function falseProblem(root: string): Problem {
  return {
    path: root,
    pointer: "",
    message: "is not allowed here",
    keyword: "false schema",
    schemaPath: "#",
  };
}
