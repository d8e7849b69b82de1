import { describe, expect, it } from "vitest";
import { runContract, type Summary } from "../../src/contract/index.js";
import {
  createNotesService,
  NOTES_BROKEN,
  NOTES_KEY,
  NOTES_SPEC,
  type NotesDefect,
} from "../fixtures/services/notes.js";

const run = (defect: NotesDefect | undefined, seed: number) =>
  runContract({
    spec: NOTES_SPEC,
    fetch: createNotesService(defect),
    target: "http://notes.test",
    auth: { apiKey: NOTES_KEY },
    seed,
    maxCases: 20,
  }).summary;

const failingChecks = (s: Summary) => [...new Set(s.failures.map((f) => f.check))].sort();
const ran = (s: Summary, op: string, check: string) =>
  (s.table[op]?.[check]?.passed ?? 0) + (s.table[op]?.[check]?.failed ?? 0);

describe("the notes service: parameters of every location, form, text and multipart bodies", () => {
  it.each([7, 11, 2024])("faithful: zero failures with seed %i", async (seed) => {
    const summary = await run(undefined, seed);
    expect(summary.failures.map((f) => `${f.check} ${f.origin.detail}: ${f.message}`)).toEqual([]);
    // Every operation was really exercised, positively and negatively, and the stateful checks ran.
    for (const op of [
      "listNotes",
      "createNote",
      "getNote",
      "deleteNote",
      "setNoteText",
      "uploadAttachment",
    ]) {
      expect(ran(summary, op, "positive-data-acceptance"), op).toBeGreaterThan(0);
      expect(ran(summary, op, "negative-data-rejection"), op).toBeGreaterThan(0);
    }
    expect(ran(summary, "getNote", "ensure-resource-availability")).toBe(1);
    expect(ran(summary, "getNote", "use-after-free")).toBe(1);
    // Valid requests on an item went to one createNote had just made, so they could succeed.
    for (const op of ["getNote", "deleteNote", "setNoteText"])
      expect(summary.table[op]?.["success-path"], op).toEqual({ passed: 1, failed: 0, skipped: 0 });
  });

  it.each(NOTES_BROKEN.map((b) => [b.defect, b.caughtBy, b.detail] as const))(
    "%s is caught by %j and nothing else",
    async (defect, checks, detail) => {
      const summary = await run(defect, 7);
      expect(failingChecks(summary)).toEqual([...checks].sort());
      for (const f of summary.failures) {
        // success-path judges the run: its sample is any valid request on an item that never succeeded.
        if (f.check === "success-path")
          expect(["getNote", "deleteNote", "setNoteText"]).toContain(f.operationId);
        else expect(f.origin.detail).toMatch(detail);
      }
    },
  );
});

describe("what goes on the wire", () => {
  it("sends readOnly never and writeOnly always, as a form body; Location or body fields carry the id on", async () => {
    const summary = await runContract({
      spec: NOTES_SPEC,
      fetch: createNotesService(),
      target: "http://notes.test",
      auth: { apiKey: NOTES_KEY },
      seed: 3,
      maxCases: 5,
      operations: ["createNote", "getNote", "deleteNote"],
      phases: ["positive", "stateful"],
    }).summary;
    expect(summary.failures).toEqual([]);
    expect(summary.passedCases).toBe(summary.cases);
  });
});

describe("honest reporting", () => {
  it("without a credential: a top-line warning, and 401s reported as not authenticated, not as failures", async () => {
    const warnings: string[] = [];
    const summary = await runContract({
      spec: NOTES_SPEC,
      fetch: createNotesService(),
      target: "http://notes.test",
      seed: 5,
      maxCases: 5,
      listeners: [(e) => e.type === "run-started" && warnings.push(...e.warnings)],
    }).summary;
    expect(warnings).toEqual([expect.stringMatching(/^1 of 7 operations need a credential .*\(apiKey\)/)]);
    expect(summary.failures).toEqual([]);
    expect(summary.notAuthenticated).toBeGreaterThan(0);
    expect(summary.table.getStats?.["not-authenticated"]?.skipped).toBe(summary.notAuthenticated);
    expect(summary.notes[0]).toMatch(/401\/403 for want of a credential/);
  });
});
