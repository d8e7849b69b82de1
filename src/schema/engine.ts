import { createRequire } from "node:module";
import type { Ajv2020 } from "ajv/dist/2020.js";
import type { AnyValidateFunction } from "ajv/dist/core.js";
import { convertNode } from "./convert.js";
import { registerFormats } from "./formats.js";
import { type Problem, toProblems } from "./problems.js";

type Obj = Record<string, unknown>;

/** Validates one value; returns every problem found (none when valid). */
export type Validator = (data: unknown, root?: string) => Problem[];

/**
 * Which way the value travels. A request never carries `readOnly` properties and a response never
 * carries `writeOnly` ones, so neither is demanded there even when `required` lists it
 * (https://spec.openapis.org/oas/v3.1.0#fixed-fields-19).
 */
export type Direction = "request" | "response" | "any";

export interface SchemaEngineOptions {
  /** Unique per document: schemas are registered under `urn:embedkit:<id>`. */
  id: string;
  /** "3.1.0" or "3.0.x"; 3.0 schemas get `nullable` rewritten. Defaults to the document's own field. */
  openapi?: string;
  /**
   * Validators compiled at build time for this very document (`compile(pointer)` uses them before
   * compiling anything). See scripts/precompile-validators.mjs.
   */
  precompiled?: Record<string, unknown>;
  /** Keep generated code so `standaloneModule` can write it out (build time only). */
  standalone?: { formatsExpression: string };
}

const MOUNT = "/$defs/document";

/**
 * ajv is loaded on first need, with require (it is CommonJS): an emulator whose validators were
 * all compiled at build time never loads it, which is ~40 ms of start-up.
 */
const nodeRequire = createRequire(import.meta.url);
const ajvModules = () => ({
  Ajv2020: (nodeRequire("ajv/dist/2020.js") as typeof import("ajv/dist/2020.js")).Ajv2020,
  Code: (nodeRequire("ajv/dist/compile/codegen/code.js") as typeof import("ajv/dist/compile/codegen/code.js"))
    ._Code,
  standaloneCode: nodeRequire("ajv/dist/standalone/index.js") as (
    ajv: Ajv2020,
    refs: Record<string, string>,
  ) => string,
});

/** A schema in the spec that cannot be compiled (e.g. `type: strin`): a spec error, exit 2 in the CLI. */
export class SchemaError extends Error {
  override readonly name = "SchemaError";
}

/**
 * The one JSON Schema 2020-12 engine. The whole OpenAPI document is registered once, so internal
 * `$ref`s resolve in place; every validator is compiled on first use and cached, so the emulator and
 * the contract checks pay for compilation once per schema, never per request.
 */
export class SchemaEngine {
  #ajvInstance: Ajv2020 | undefined;
  #ajvFirstInstance: Ajv2020 | undefined;
  readonly #firstByPointer = new Map<string, Validator>();
  readonly #document: Obj;
  readonly #standalone: SchemaEngineOptions["standalone"];
  readonly #documentId: string;
  readonly #openapi30: boolean;
  readonly #byPointer = new Map<string, Validator>();
  readonly #bySchema = new Map<Direction, WeakMap<object, Validator>>();
  /** Formats the document uses that no vocabulary here defines: values of those are not checked. */
  readonly unknownFormats = new Set<string>();
  readonly #precompiled: Record<string, unknown>;

  constructor(document: Obj, options: SchemaEngineOptions) {
    // fast-uri refuses some URNs (e.g. one whose name part is too short), so the id is reduced to
    // safe characters and prefixed.
    this.#documentId = `urn:embedkit:doc-${options.id.replace(/[^A-Za-z0-9-]/g, "-")}`;
    const version = options.openapi ?? String(document.openapi ?? "3.1.0");
    this.#openapi30 = version.startsWith("3.0");
    this.#precompiled = options.precompiled ?? {};
    this.#document = document;
    this.#standalone = options.standalone;
  }

  get #ajv(): Ajv2020 {
    this.#ajvInstance ??= this.#makeAjv(true);
    return this.#ajvInstance;
  }

  #makeAjv(allErrors: boolean): Ajv2020 {
    const { Ajv2020, Code } = ajvModules();
    const formats = this.#standalone?.formatsExpression;
    // strict is off: user specs carry OpenAPI-only keywords (example, discriminator, xml) that
    // 2020-12 does not know, and those must not make a valid spec unusable.
    // validateSchema is off: checking the document against the 2020-12 meta-schema costs ~80 ms,
    // most of the emulator's start-up budget. Spec structure is linted by `embedkit lint`, and a
    // schema ajv cannot compile still fails loudly, as a SchemaError, when it is compiled.
    const ajv = new Ajv2020({
      strict: false,
      allErrors,
      verbose: true,
      allowUnionTypes: true,
      validateSchema: false,
      logger: {
        log: () => {},
        error: () => {},
        // ajv says 'unknown format "x" ignored in schema at path "urn:…"'; keep the name only.
        warn: (...args: unknown[]) => {
          const m = /unknown format "([^"]+)"/.exec(String(args[0]));
          if (m?.[1]) this.unknownFormats.add(m[1]);
        },
      },
      ...(formats ? { code: { source: true, esm: true, formats: new Code(formats) } } : {}),
    });
    registerFormats(ajv);
    ajv.addSchema({
      $id: this.#documentId,
      $defs: { document: convertNode(this.#document, this.#convertOptions()) },
    });
    return ajv;
  }

  /**
   * A validator of the schema at `pointer` that stops at the first problem. Collecting every
   * problem of a huge invalid value (a 1 MiB array of wrong items) takes seconds of CPU; a server
   * uses this one for large bodies and says that only the first problem is listed.
   */
  compileFirstProblem(pointer: string): Validator {
    let v = this.#firstByPointer.get(pointer);
    if (!v) {
      this.#ajvFirstInstance ??= this.#makeAjv(false);
      const ajv = this.#ajvFirstInstance;
      try {
        v = this.#wrap(ajv.compile({ $ref: this.#refTo(pointer) }));
      } catch (error) {
        throw new SchemaError(`${pointer}: cannot compile the schema: ${(error as Error).message}`);
      }
      this.#firstByPointer.set(pointer, v);
    }
    return v;
  }

  #convertOptions() {
    return { documentId: this.#documentId, mountPointer: MOUNT, openapi30: this.#openapi30 };
  }

  #refTo(pointer: string): string {
    return `${this.#documentId}#${MOUNT}${pointer}`;
  }

  /**
   * An ES module exporting a validator per pointer (`v<i>` for `POINTERS[i]`): what the build writes
   * so that start-up loads code instead of generating it. The module imports `FORMATS` from
   * `formatsModule` and resolves ajv's runtime helpers with a require rooted at `requireFrom`.
   * Needs the engine to be made with `standalone: {formatsExpression: "embedkitFormats"}`.
   */
  standaloneModule(pointers: string[], formatsModule: string, requireFrom: string): string {
    const refs: Record<string, string> = {};
    pointers.forEach((pointer, i) => {
      this.compile(pointer);
      refs[`v${i}`] = this.#refTo(pointer);
    });
    return [
      "// Generated by embedkit's SchemaEngine.standaloneModule. Do not edit.",
      'import { createRequire } from "node:module";',
      `import { FORMATS as embedkitFormats } from ${JSON.stringify(formatsModule)};`,
      `const require = createRequire(${JSON.stringify(requireFrom)});`,
      ajvModules().standaloneCode(this.#ajv, refs),
      `export const POINTERS = ${JSON.stringify(pointers)};`,
      "",
    ].join("\n");
  }

  #compile(schema: Obj, where: string): ReturnType<Ajv2020["compile"]> {
    try {
      return this.#ajv.compile(schema);
    } catch (error) {
      throw new SchemaError(`${where}: cannot compile the schema: ${(error as Error).message}`);
    }
  }

  #wrap(validate: AnyValidateFunction, direction: Direction = "any"): Validator {
    if (direction === "any")
      return (data, root = "body") => (validate(data) ? [] : toProblems(validate.errors ?? [], root));
    const skip = direction === "request" ? "readOnly" : "writeOnly";
    return (data, root = "body") => {
      if (validate(data)) return [];
      const errors = (validate.errors ?? []).filter((e) => !this.#absentByDesign(e, skip));
      return errors.length ? toProblems(errors, root) : [];
    };
  }

  /** A `required` error about a property marked `readOnly` (or `writeOnly`), which may be absent. */
  #absentByDesign(
    error: { keyword: string; params: unknown; parentSchema?: unknown },
    flag: string,
  ): boolean {
    if (error.keyword !== "required") return false;
    const name = (error.params as { missingProperty?: string }).missingProperty ?? "";
    const props = (error.parentSchema as Obj | undefined)?.properties as Obj | undefined;
    let prop = props?.[name] as Obj | undefined;
    for (let hops = 0; prop && typeof prop.$ref === "string" && hops < 8; hops++) {
      const at = prop.$ref.indexOf(`#${MOUNT}`);
      if (at < 0) return false;
      prop = getAt(this.#document, prop.$ref.slice(at + 1 + MOUNT.length)) as Obj | undefined;
    }
    return prop?.[flag] === true;
  }

  /** The validator of the schema at `pointer` (e.g. `/components/schemas/GenerateSession`) in the document. */
  compile(pointer: string): Validator {
    let v = this.#byPointer.get(pointer);
    if (!v) {
      const ready = this.#precompiled[pointer];
      v = this.#wrap(
        typeof ready === "function"
          ? (ready as AnyValidateFunction)
          : this.#compile({ $ref: this.#refTo(pointer) }, pointer),
      );
      this.#byPointer.set(pointer, v);
    }
    return v;
  }

  /** The validator of a schema object; `$ref`s inside it resolve against the document. */
  compileSchema(schema: unknown, direction: Direction = "any"): Validator {
    if (typeof schema === "boolean") return schema ? () => [] : (_d, root = "body") => [falseProblem(root)];
    if (schema === null || typeof schema !== "object")
      throw new TypeError("a schema must be an object or a boolean");
    const cache = this.#bySchema.get(direction) ?? new WeakMap<object, Validator>();
    this.#bySchema.set(direction, cache);
    let v = cache.get(schema);
    if (!v) {
      const compiled = this.#compile(convertNode(schema, this.#convertOptions()) as Obj, "(inline schema)");
      v = this.#wrap(compiled, direction);
      cache.set(schema, v);
    }
    return v;
  }

  validate(schema: unknown, data: unknown, root = "body", direction: Direction = "any"): Problem[] {
    return this.compileSchema(schema, direction)(data, root);
  }

  isValid(schema: unknown, data: unknown): boolean {
    return this.validate(schema, data).length === 0;
  }
}

/** The value at a JSON pointer (`/components/schemas/A`), or undefined. */
function getAt(doc: Obj, pointer: string): unknown {
  let node: unknown = doc;
  for (const raw of pointer.split("/").slice(1)) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Obj)[raw.replaceAll("~1", "/").replaceAll("~0", "~")];
  }
  return node;
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
