import type { Operation } from "../openapi/index.js";
import { jsonBody } from "./cases/context.js";
import { deref, isObj, type Obj } from "./generate/schema-walk.js";
import type { Exchange } from "./types.js";

/** What a run exercised of one operation: statuses seen and not, parameters and body fields sent. */
export interface OperationCoverage {
  statuses: { declared: string[]; seen: number[]; notSeen: string[] };
  parameters: { declared: string[]; sent: string[] };
  bodyFields: { declared: string[]; sent: string[] };
}

interface Tally {
  statuses: Set<number>;
  parameters: Set<string>;
  bodyFields: Set<string>;
}

/** Dotted paths of a value's properties, two levels deep (`user.role`), array items as `[]`. */
function fieldPaths(value: unknown, prefix = "", depth = 0, out = new Set<string>()): Set<string> {
  if (depth > 1) return out;
  const item = Array.isArray(value) ? value[0] : value;
  if (!isObj(item)) return out;
  for (const [k, v] of Object.entries(item)) {
    const path = `${prefix}${Array.isArray(value) ? "[]." : ""}${k}`;
    out.add(path);
    fieldPaths(v, `${path}.`, depth + 1, out);
  }
  return out;
}

/** Parameter names a request carried, read back from its query, headers and cookies (path ones always). */
function parametersSent(op: Operation, exchange: Exchange): string[] {
  const url = new URL(exchange.request.path, "http://embedkit.invalid");
  const queryNames = new Set([...url.searchParams.keys()].map((k) => k.replace(/\[.*$/, "")));
  const cookieNames = new Set(
    (exchange.request.headers.cookie ?? "")
      .split(";")
      .filter((pair) => pair.includes("="))
      .map((pair) => pair.slice(0, pair.indexOf("=")).trim()),
  );
  return op.parameters
    .filter((p) => {
      if (p.in === "path") return true;
      if (p.in === "query") return queryNames.has(p.name);
      if (p.in === "header") return p.name.toLowerCase() in exchange.request.headers;
      return cookieNames.has(p.name);
    })
    .map((p) => `${p.in}:${p.name}`);
}

/** Collects coverage as cases finish; `result()` reads it against what each operation declares. */
export class CoverageCollector {
  readonly #byOp = new Map<string, Tally>();

  constructor(
    readonly operations: readonly Operation[],
    readonly doc: Obj,
  ) {}

  add(exchanges: readonly Exchange[]): void {
    for (const ex of exchanges) {
      const op = this.operations.find((o) => o.id === ex.operationId);
      if (!op) continue;
      const t = this.#byOp.get(op.id) ?? {
        statuses: new Set(),
        parameters: new Set(),
        bodyFields: new Set(),
      };
      this.#byOp.set(op.id, t);
      if (ex.response) t.statuses.add(ex.response.status);
      for (const p of parametersSent(op, ex)) t.parameters.add(p);
      for (const f of fieldPaths(ex.bodyValue)) t.bodyFields.add(f);
    }
  }

  result(): Record<string, OperationCoverage> {
    const out: Record<string, OperationCoverage> = {};
    for (const op of this.operations) {
      const t = this.#byOp.get(op.id);
      const seen = [...(t?.statuses ?? [])].sort();
      const declared = Object.keys(op.responses);
      const covers = (d: string, s: number) =>
        d === String(s) || (d.endsWith("XX") && d[0] === String(s)[0]) || d === "default";
      const media = jsonBody(op);
      const declaredFields = [...fieldPaths(schemaSkeleton(deref(this.doc, media?.schema)))];
      out[op.id] = {
        statuses: { declared, seen, notSeen: declared.filter((d) => !seen.some((s) => covers(d, s))) },
        parameters: {
          declared: op.parameters.map((p) => `${p.in}:${p.name}`),
          sent: [...(t?.parameters ?? [])].sort(),
        },
        bodyFields: {
          declared: declaredFields,
          sent: [...(t?.bodyFields ?? [])].filter((f) => declaredFields.includes(f)).sort(),
        },
      };
    }
    return out;
  }
}

/** Top-level property names of an object schema (already dereferenced), as an object of nulls. */
function schemaSkeleton(schema: Obj): Record<string, null> {
  const out: Record<string, null> = {};
  if (isObj(schema.properties)) for (const k of Object.keys(schema.properties)) out[k] = null;
  return out;
}
