import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ContractOptions, htmlReport, runContract } from "../../src/contract/index.js";
import { smaller } from "../../src/contract/shrink.js";
import { packageRoot } from "../../src/openapi/index.js";
import { serveFetch } from "../fixtures/contract/index.js";
import { createNotesService, NOTES_KEY, NOTES_SPEC, type NotesDefect } from "../fixtures/services/notes.js";

const base = (defect?: NotesDefect): ContractOptions => ({
  spec: NOTES_SPEC,
  fetch: createNotesService(defect),
  target: "http://notes.test",
  auth: { apiKey: NOTES_KEY },
  seed: 7,
  maxCases: 20,
});

describe("minimal failures", () => {
  it("simpler values come simplest first", () => {
    expect([...smaller("abcd")]).toEqual(["", "a", "ab", "abc"]);
    expect([...smaller(10)]).toEqual([0, 5, 9]);
    expect([...smaller({ a: 1, b: "x" })].slice(0, 3)).toEqual([{}, { b: "x" }, { a: 1 }]);
  });

  it("a failing case is shrunk to the smallest body that keeps its defect; the curl line shows it", async () => {
    const summary = await runContract({ ...base("form-field-ignored"), phases: ["negative"] }).summary;
    const wrongType = summary.failures.find((f) => f.origin.detail.startsWith("body.priority: wrong type"));
    expect(wrongType?.origin.detail).toMatch(/shrunk in \d+ step\(s\)/);
    expect(wrongType?.request.body).toBe("title=e&priority=embedkit-wrong-type&editKey=embe");
    const unshrunk = await runContract({ ...base("form-field-ignored"), phases: ["negative"], shrinkMs: 0 })
      .summary;
    const full = unshrunk.failures.find((f) => f.origin.detail.startsWith("body.priority: wrong type"));
    expect(full?.request.body).toBe(
      "title=embedkit&priority=embedkit-wrong-type&body=embedkit&editKey=embedkit",
    );
  });

  it("a case on an item its creator just made shrinks its own request; the creator runs each time", async () => {
    const options = {
      ...base("long-text-refused"),
      phases: ["positive" as const],
      operations: ["setNoteText"],
    };
    const summary = await runContract(options).summary;
    const refused = summary.failures.find((f) => f.check === "positive-data-acceptance");
    expect(refused?.origin.detail).toMatch(
      /maxLength, on a new item from createNote .*shrunk in \d+ step\(s\)/,
    );
    expect(refused?.step).toBe(1);
    // The note the creator made this time: a live id, not the generated default.
    expect(refused?.request.path).toMatch(/^\/notes\/n\d+\/text$/);
    const length = String(refused?.request.body).length;
    expect(length).toBeGreaterThan(100);
    expect(length).toBeLessThan(200);
    const unshrunk = await runContract({ ...options, shrinkMs: 0 }).summary;
    const full = unshrunk.failures.find((f) => f.check === "positive-data-acceptance");
    expect(String(full?.request.body)).toBe("M".repeat(200));
  });
});

describe("coverage and filters", () => {
  it("says per operation which statuses, parameters and body fields the run exercised", async () => {
    const summary = await runContract(base()).summary;
    const c = summary.coverage ?? {};
    expect(c.listNotes?.parameters.sent).toEqual([
      "header:X-Request-Id",
      "query:filter",
      "query:limit",
      "query:tag",
    ]);
    expect(c.listNotes?.statuses).toEqual({ declared: ["200", "400"], seen: [200, 400], notSeen: [] });
    expect(c.createNote?.bodyFields.declared).toEqual(["id", "title", "priority", "body", "editKey"]);
    // id is readOnly: never sent, and the coverage says so.
    expect(c.createNote?.bodyFields.sent).toEqual(["body", "editKey", "priority", "title"]);
    const html = htmlReport(summary);
    expect(html).toContain("<th>listNotes</th>");
    expect(html).toContain('<code class="miss">id</code>');
    expect(html).not.toContain("<script");
  });

  it.each([
    [{ tags: ["files"] }, ["uploadAttachment"]],
    [{ paths: ["/notes/*"] }, ["getNote", "deleteNote", "setNoteText"]],
    [{ excludeDeprecated: true, tags: ["notes"] }, ["listNotes", "createNote", "getNote", "deleteNote"]],
  ])("filters %j", async (filter, ops) => {
    const started: string[][] = [];
    await runContract({
      ...base(),
      ...filter,
      phases: ["examples"],
      listeners: [(e) => e.type === "run-started" && started.push(e.operations)],
    }).summary;
    expect(started[0]).toEqual(ops);
  });
});

describe("embedkit test on any spec, from the built CLI", () => {
  const served: Array<{ url: string; close: () => Promise<void> }> = [];
  beforeAll(async () => {
    served.push(await serveFetch(createNotesService()));
  });
  afterAll(async () => {
    for (const s of served) await s.close();
  });

  it("exits 0 against the faithful notes service and writes the HTML report", async () => {
    const dir = mkdtempSync(join(tmpdir(), "embedkit-html-"));
    const html = join(dir, "report.html");
    const cli = join(packageRoot(), "dist", "bundle", "main.js");
    const args = [cli, "test", NOTES_SPEC, "--target", served[0]?.url ?? "", "--auth", `apiKey=${NOTES_KEY}`];
    const { stdout } = await promisify(execFile)(process.execPath, [
      ...args,
      "--seed",
      "9",
      "--max-cases",
      "5",
      "--exclude-deprecated",
      "--report",
      `html=${html}`,
    ]);
    expect(stdout).toMatch(/coverage:\n {2}listNotes: statuses 200/);
    expect(stdout).not.toContain("setNoteText");
    expect(readFileSync(html, "utf8")).toMatch(/<th>createNote<\/th>/);
    expect(readFileSync(html, "utf8")).not.toContain(NOTES_KEY);
  });
});
