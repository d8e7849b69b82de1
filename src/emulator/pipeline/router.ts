import { NOTES, type Operation, readNote } from "../../openapi/index.js";

export type RouteMatch =
  | { kind: "operation"; operation: Operation }
  | { kind: "method-not-allowed"; allow: string[]; operations: Operation[] }
  | { kind: "not-found" };

interface TemplateRoute {
  pattern: RegExp;
  byMethod: Map<string, Operation>;
}

const templateToRegExp = (path: string) =>
  new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{[^}/]+\\?\}/g, "[^/]+")}$`);

/**
 * The operations again under the paths their `x-embedkit-path-aliases` note names (Explo's path
 * without its trailing slash, Toucan's older path), when served: the note's `enabled`, unless the
 * config's `pathAliases` says otherwise. An alias is the same operation, so it is validated,
 * journaled and handled exactly as the documented path.
 */
export function withAliases(operations: readonly Operation[], override: boolean | undefined): Operation[] {
  const out = [...operations];
  for (const op of operations) {
    const note = readNote(NOTES.pathAliases, op.extensions);
    if (!note || !(override ?? note.enabled)) continue;
    for (const path of note.paths) out.push({ ...op, path });
  }
  return out;
}

/**
 * Routes built from the spec's operations, nothing hand-written. Paths are matched as sent (still
 * percent-encoded), so `..` and encoded slashes never reach an operation; they answer 404.
 */
export class Router {
  readonly #exact = new Map<string, Map<string, Operation>>();
  readonly #templates: TemplateRoute[] = [];

  constructor(
    operations: readonly Operation[],
    private readonly basePath: string,
  ) {
    for (const op of operations) {
      let byMethod: Map<string, Operation>;
      if (op.path.includes("{")) {
        let route = this.#templates.find((t) => t.pattern.source === templateToRegExp(op.path).source);
        if (!route) {
          route = { pattern: templateToRegExp(op.path), byMethod: new Map() };
          this.#templates.push(route);
        }
        byMethod = route.byMethod;
      } else {
        byMethod = this.#exact.get(op.path) ?? new Map();
        this.#exact.set(op.path, byMethod);
      }
      byMethod.set(op.method.toUpperCase(), op);
    }
  }

  match(method: string, path: string): RouteMatch {
    if (this.basePath && !path.startsWith(`${this.basePath}/`)) return { kind: "not-found" };
    const rest = this.basePath ? path.slice(this.basePath.length) : path;
    const byMethod = this.#exact.get(rest) ?? this.#templates.find((t) => t.pattern.test(rest))?.byMethod;
    if (!byMethod) return { kind: "not-found" };
    const operation = byMethod.get(method);
    if (operation) return { kind: "operation", operation };
    return { kind: "method-not-allowed", allow: [...byMethod.keys()], operations: [...byMethod.values()] };
  }
}
