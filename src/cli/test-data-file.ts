import { readFile } from "node:fs/promises";
import type { TestData } from "../contract/index.js";
import { nearest, type SpecModel } from "../openapi/index.js";
import { UsageError } from "./usage-error.js";

const isObj = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * `--data cases.yaml`: operationId (or "*") → field name or JSON pointer → a value or a list of
 * candidate values. An unknown operationId is a usage error, with the nearest one suggested.
 */
export async function readTestData(file: string, spec: SpecModel): Promise<TestData> {
  let doc: unknown;
  try {
    const { parseYamlText } = await import("../openapi/parse.js");
    doc = parseYamlText(await readFile(file, "utf8"));
  } catch (error) {
    throw new UsageError(`--data ${file}: ${(error as Error).message.split("\n")[0]}`);
  }
  if (!isObj(doc)) throw new UsageError(`--data ${file}: must map operationIds to fields`);
  const ids = spec.operations.map((op) => op.id);
  const out: TestData = {};
  for (const [op, fields] of Object.entries(doc)) {
    if (op !== "*" && !ids.includes(op)) {
      const hint = nearest(op, ids);
      throw new UsageError(
        `--data ${file}: no operation "${op}"${hint ? ` (did you mean ${hint}?)` : ""}; operations: ${ids.join(", ")}, or "*"`,
      );
    }
    if (!isObj(fields)) throw new UsageError(`--data ${file}: ${op}: must map fields to values`);
    out[op] = Object.fromEntries(
      Object.entries(fields).map(([field, v]) => [field, Array.isArray(v) ? v : [v]]),
    );
  }
  return out;
}
