import type { ErrorObject } from "ajv";

/** One schema violation, as data: where (readable and as a pointer) and what is wrong. */
export interface Problem {
  /** Readable location: `body.userAttributes[0].name`. */
  path: string;
  /** JSON pointer of the offending value inside the validated data. */
  pointer: string;
  message: string;
  keyword: string;
  schemaPath: string;
}

/** `/userAttributes/0/name` under root `body` → `body.userAttributes[0].name`. */
export function readablePath(root: string, pointer: string): string {
  if (pointer === "") return root;
  let out = root;
  for (const raw of pointer.slice(1).split("/")) {
    const token = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (/^\d+$/.test(token)) out += `[${token}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(token)) out += out ? `.${token}` : token;
    else out += `[${JSON.stringify(token)}]`;
  }
  return out;
}

function describeBranch(schema: unknown): string {
  if (schema === null || typeof schema !== "object") return "a schema";
  const s = schema as Record<string, unknown>;
  if (Array.isArray(s.type)) return s.type.join(" or ");
  if (typeof s.type === "string") {
    const items = s.items as Record<string, unknown> | undefined;
    return s.type === "array" && typeof items?.type === "string" ? `${items.type}[]` : s.type;
  }
  if ("const" in s) return JSON.stringify(s.const);
  if (typeof s.$ref === "string") return s.$ref.split("/").pop() ?? "a schema";
  return "a schema";
}

function messageOf(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return `must have required property '${String(p.missingProperty)}'`;
    case "additionalProperties":
      return `must not have additional property '${String(p.additionalProperty)}'`;
    case "enum":
      return `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "type":
      return `must be ${String(p.type).split(",").join(" or ")}`;
    case "const":
      return `must be ${JSON.stringify(p.allowedValue)}`;
    case "anyOf":
    case "oneOf": {
      const branches = Array.isArray(error.schema) ? error.schema.map(describeBranch) : [];
      const ambiguous = error.keyword === "oneOf" && Array.isArray(p.passingSchemas);
      if (ambiguous) return `must match exactly one of ${branches.join(" | ")}, but matches several`;
      return branches.length ? `must be ${branches.join(" | ")}` : (error.message ?? "is invalid");
    }
    default:
      return error.message ?? `fails ${error.keyword}`;
  }
}

/** Which branch of `union` produced `error`, when the schema path shows it (not through a $ref). */
function branchOf(union: ErrorObject, error: ErrorObject): string | undefined {
  const prefix = `${union.schemaPath}/`;
  return error.schemaPath.startsWith(prefix)
    ? error.schemaPath.slice(prefix.length).split("/")[0]
    : undefined;
}

const depth = (e: ErrorObject) => e.instancePath.split("/").length;

/**
 * Turns ajv's errors into problems. A failed anyOf/oneOf is reported once, not once per branch.
 * Unions are settled deepest first. When a single branch got deeper into the value, its deeper
 * errors say more and the union is dropped (`userAttributes[0].name: must be string`). When no
 * branch got deeper, or several did and disagree (`[true]` is neither string[] nor number[]), the
 * union's own "must be string | number | null" replaces the branches' errors.
 */
export function toProblems(errors: readonly ErrorObject[], root: string): Problem[] {
  const isUnion = (e: ErrorObject) => e.keyword === "anyOf" || e.keyword === "oneOf";
  const dropped = new Set<ErrorObject>();
  const unions = errors.filter(isUnion).sort((a, b) => depth(b) - depth(a));
  for (const union of unions) {
    if (dropped.has(union)) continue;
    const at = union.instancePath;
    const deep = errors.filter((e) => !dropped.has(e) && e.instancePath.startsWith(`${at}/`));
    const branches = new Set(deep.map((e) => branchOf(union, e)).filter((b) => b !== undefined));
    const sameLevel = errors.filter(
      (e) => e !== union && e.instancePath === at && (e.keyword === "type" || isUnion(e)),
    );
    for (const e of sameLevel) dropped.add(e);
    if (deep.length > 0 && branches.size <= 1) dropped.add(union);
    else for (const e of deep) dropped.add(e);
  }
  const kept = errors.filter((e) => !dropped.has(e));
  const seen = new Set<string>();
  const out: Problem[] = [];
  for (const e of kept) {
    const problem: Problem = {
      path: readablePath(root, e.instancePath),
      pointer: e.instancePath,
      message: messageOf(e),
      keyword: e.keyword,
      schemaPath: e.schemaPath,
    };
    const key = `${problem.pointer}\u0000${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(problem);
  }
  return out;
}

export function formatProblem(problem: Problem): string {
  return `${problem.path}: ${problem.message}`;
}
