import type { Operation } from "../openapi/index.js";
import { isXmlOnly } from "./bodies/media.js";
import type { Credentials } from "./cases/index.js";

/** Operations that need a credential the run was not given: their 401/403 say nothing about the data. */
export function uncredentialed(operations: readonly Operation[], credentials: Credentials): Set<string> {
  const out = new Set<string>();
  for (const op of operations) {
    if (op.security.length === 0 || op.security.some((alt) => alt.length === 0)) continue;
    if (!op.security.some((alt) => alt.every((s) => s.name in credentials))) out.add(op.id);
  }
  return out;
}

/** The run's top-line warning, said before the first case. */
export function credentialWarning(
  missing: Set<string>,
  operations: readonly Operation[],
): string | undefined {
  if (missing.size === 0) return undefined;
  const schemes = new Set<string>();
  for (const op of operations) {
    if (missing.has(op.id)) for (const s of op.security[0] ?? []) schemes.add(s.name);
  }
  return `${missing.size} of ${operations.length} operations need a credential this run does not have (${[...schemes].join(", ")}): their 401/403 answers are reported as "not authenticated", not judged. Pass --auth <scheme>=<value> to test them.`;
}

const quoted = (names: Iterable<string>) => [...names].map((n) => `"${n}"`).join(", ");

/** What a run could not judge, each said once in plain words at the end. */
export function closingNotes(input: {
  operations: readonly Operation[];
  unknownFormats: Iterable<string>;
  notAuthenticated: number;
}): string[] {
  const notes: string[] = [];
  if (input.notAuthenticated > 0)
    notes.push(
      `${input.notAuthenticated} answer(s) were 401/403 for want of a credential: not authenticated, not judged.`,
    );
  const formats = [...input.unknownFormats].sort();
  if (formats.length)
    notes.push(
      `the spec uses format(s) embedkit does not know, so values of those formats were not checked: ${quoted(formats)}.`,
    );
  const xml = input.operations.filter(
    (op) =>
      isXmlOnly(op) ||
      Object.values(op.responses).some(
        (r) => Object.keys(r.content).length > 0 && Object.keys(r.content).every((t) => /[/+]xml\b/i.test(t)),
      ),
  );
  if (xml.length)
    notes.push(
      `XML bodies are not generated or validated (${xml.length} operation(s): ${xml
        .slice(0, 5)
        .map((op) => op.id)
        .join(", ")}${xml.length > 5 ? ", …" : ""}).`,
    );
  return notes;
}
