import {
  loadSpec,
  NOTES,
  noteProblems,
  readNote,
  remoteFetch,
  SpecError,
  type SpecLimits,
  type SpecModel,
} from "../../openapi/index.js";
import { SchemaEngine } from "../../schema/index.js";

/** One thing wrong with a spec: where (file + JSON pointer), which rule, what. */
export interface LintProblem {
  file: string;
  pointer: string;
  rule: string;
  severity: "error" | "warning";
  message: string;
}

/** Rules a spec may switch off for itself, with a reason: `x-embedkit-lint: {allow: [rule], why}`. */
function allowedRules(model: SpecModel): Set<string> {
  return new Set(readNote(NOTES.lint, model.extensions)?.allow ?? []);
}

/** Redocly's recommended ruleset: structure, refs, operation ids, security definitions. */
async function redoclyProblems(
  file: string,
  allowed: Set<string>,
  limits: Partial<SpecLimits>,
): Promise<LintProblem[]> {
  const { BaseResolver, createConfig, lint } = await import("@redocly/openapi-core");
  const config = await createConfig({ extends: ["recommended"] } as Parameters<typeof createConfig>[0]);
  // The same bounded fetch as loading: Redocly's own would fetch remote refs with no timeout.
  const customFetch = remoteFetch(limits);
  const externalRefResolver = new BaseResolver({ http: { headers: [], customFetch } });
  const problems = await lint({ ref: file, config, externalRefResolver });
  return problems
    .filter((p) => !allowed.has(p.ruleId))
    .map((p) => ({
      file,
      pointer: (p.location[0]?.pointer ?? "#").replace(/^#/, ""),
      rule: `redocly/${p.ruleId}`,
      severity: p.severity === "error" ? "error" : "warning",
      message: p.message,
    }));
}

/**
 * Every request and response example must be valid against its schema, judged by the same engine
 * that validates live traffic: an example that lies would make Prism and our docs lie too.
 */
export function exampleProblems(model: SpecModel, file: string): LintProblem[] {
  const engine = new SchemaEngine(model.document, { id: `lint:${file}` });
  const out: LintProblem[] = [];
  for (const op of model.operations) {
    const bodies = [
      ...Object.values(op.requestBody?.content ?? {}).map((m) => ({ media: m, root: "body" })),
      ...Object.values(op.responses).flatMap((r) =>
        Object.values(r.content).map((m) => ({ media: m, root: `response ${r.status} body` })),
      ),
    ];
    for (const { media, root } of bodies) {
      if (media.schema === undefined) continue;
      const validate = engine.compileSchema(media.schema);
      for (const example of media.examples) {
        for (const problem of validate(example.value, root)) {
          out.push({
            file,
            pointer: example.pointer,
            rule: "example-valid",
            severity: "error",
            message: `example "${example.name}" of ${op.id}: ${problem.path}: ${problem.message}`,
          });
        }
      }
    }
  }
  return out;
}

/** Every operation needs at least one request (when it has a body) and one response example. */
export function missingExampleProblems(model: SpecModel, file: string): LintProblem[] {
  const out: LintProblem[] = [];
  for (const op of model.operations) {
    const places = [
      { what: "request", at: "requestBody", media: Object.values(op.requestBody?.content ?? {}) },
      {
        what: "response",
        at: "responses",
        media: Object.values(op.responses).flatMap((r) => Object.values(r.content)),
      },
    ];
    for (const { what, at, media } of places) {
      if (media.length === 0 || media.some((m) => m.examples.length > 0)) continue;
      out.push({
        file,
        pointer: `${op.pointer}/${at}`,
        rule: "example-present",
        severity: "error",
        message: `${op.id} has no ${what} example`,
      });
    }
  }
  return out;
}

export async function lintSpecFile(file: string, limits: Partial<SpecLimits> = {}): Promise<LintProblem[]> {
  let model: SpecModel;
  try {
    model = await loadSpec(file, { ...limits, checkNotes: false });
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    return [
      {
        file,
        pointer: error.pointer,
        rule: "spec-load",
        severity: "error",
        message: error.message.replace(/^[^:]+: /, ""),
      },
    ];
  }
  const notes = noteProblems(model.document).map(
    (p): LintProblem => ({
      file,
      pointer: p.pointer,
      rule: "note-valid",
      severity: "error",
      message: p.message,
    }),
  );
  // A misspelt x-embedkit-lint must not silently allow nothing (or everything): notes first.
  return [
    ...notes,
    ...(await redoclyProblems(file, notes.length ? new Set() : allowedRules(model), limits)),
    ...exampleProblems(model, file),
    ...missingExampleProblems(model, file),
  ];
}
