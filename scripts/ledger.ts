/**
 * The faithfulness ledger: the `x-embedkit-ledger` rows of every spec, one per vendor rule, rendered
 * to docs/ledger.md by `npm run gen` (and checked by `npm run gen:check`), and judged by
 * test/scripts/ledger.test.ts: every row names a test that exists, a spec location that resolves and,
 * for a GUESS, the config key that changes it; every `x-embedkit-*` note of a spec is in some row.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { getAtPointer } from "../src/openapi/index.js";

export const LEDGER_NOTE = "x-embedkit-ledger";
export const LEDGER_FILE = "docs/ledger.md";

/**
 * `documented`: the vendor publishes it. `guess`: the vendor is silent, we chose, and a config key
 * changes the choice. `fixed-guess`: the vendor is silent about a shape no switch could usefully
 * change (an error body, a claim name); `why` says so and the test pins what we emit.
 */
export type LedgerKind = "documented" | "guess" | "fixed-guess";

export interface LedgerRow {
  /** What the vendor does, or for a guess what we chose. */
  rule: string;
  /** The public page that says it (for a guess, the page that is silent). */
  source: string;
  /** JSON pointers into the spec where the spec says it. */
  spec: string[];
  kind: LedgerKind;
  /** The config key (dotted) that changes it. */
  config?: string;
  /** `test/<file>.test.ts › <text of the test's name, as written in the file>`. */
  test: string;
  why?: string;
}

export interface NoteSite {
  name: string;
  pointer: string;
}

export interface ProviderLedger {
  id: string;
  name: string;
  specFile: string;
  document: unknown;
  rows: LedgerRow[];
  notes: NoteSite[];
}

/**
 * Notes that are not vendor rules, so no row stands for them: the bibliography, our lint
 * allowances and the ledger itself. They are listed in the ledger all the same.
 */
export const META_NOTES: Record<string, string> = {
  "x-embedkit-sources": "the public pages the spec was written from",
  "x-embedkit-lint": "a lint rule this spec is allowed to break, with the reason",
  [LEDGER_NOTE]: "this ledger",
  "x-embedkit-store-unavailable":
    "embedkit's own answer while its shared store is away, not vendor behaviour",
  "x-embedkit-state-budget":
    "embedkit's own bound on the bytes a local provider holds, so it can be left running; not vendor behaviour",
  "x-embedkit-limits":
    "embedkit's own bound on the bytes one request may make a local provider hold; not vendor behaviour",
};

const escapeToken = (t: string) => t.replaceAll("~", "~0").replaceAll("/", "~1");

/** Every `x-embedkit-*` key in a document, with where it is; a note's own content is not searched. */
export function notesIn(value: unknown, pointer = ""): NoteSite[] {
  if (value === null || typeof value !== "object") return [];
  const out: NoteSite[] = [];
  for (const [key, child] of Object.entries(value)) {
    const at = `${pointer}/${escapeToken(key)}`;
    if (key.startsWith("x-embedkit-")) out.push({ name: key, pointer: at });
    else out.push(...notesIn(child, at));
  }
  return out;
}

export function readLedger(root: string, provider: { id: string; name: string }): ProviderLedger {
  const specFile = `spec/${provider.id}.yaml`;
  const document = parse(readFileSync(join(root, specFile), "utf8")) as Record<string, unknown>;
  const rows = (document[LEDGER_NOTE] ?? []) as LedgerRow[];
  return { ...provider, specFile, document, rows, notes: notesIn(document) };
}

export interface LedgerContext {
  /** The text of a repository file, or undefined when there is none. */
  readFile(path: string): string | undefined;
  /** Whether a dotted config key exists in the provider's config schema. */
  hasConfig(providerId: string, key: string): boolean;
}

const TEST_REF = /^(test\/[\w./-]+\.test\.ts) › (.+)$/;

function rowProblems(ledger: ProviderLedger, row: LedgerRow, n: number, ctx: LedgerContext): string[] {
  const where = `${ledger.specFile} ${LEDGER_NOTE}[${n}]`;
  const out: string[] = [];
  if (!row.rule) out.push(`${where}: no rule`);
  if (!/^https:\/\/\S+$/.test(row.source ?? "")) out.push(`${where}: source must be a public https URL`);
  if (!["documented", "guess", "fixed-guess"].includes(row.kind)) out.push(`${where}: kind ${row.kind}?`);
  if (!Array.isArray(row.spec) || row.spec.length === 0) out.push(`${where}: no spec location`);
  for (const p of row.spec ?? []) {
    if (getAtPointer(ledger.document, p) === undefined) out.push(`${where}: ${p} is not in the spec`);
  }
  if (row.kind === "guess" && !row.config)
    out.push(`${where}: a GUESS must name the config key that changes it`);
  if (row.kind === "fixed-guess" && !row.why) out.push(`${where}: a fixed GUESS must say why no switch`);
  if (row.config && !ctx.hasConfig(ledger.id, row.config)) out.push(`${where}: no config key ${row.config}`);
  const test = TEST_REF.exec(row.test ?? "");
  if (!test) out.push(`${where}: test must read "test/<file>.test.ts › <name>"`);
  else {
    const text = ctx.readFile(test[1] as string);
    if (text === undefined) out.push(`${where}: ${test[1]} does not exist`);
    else if (!text.includes(test[2] as string)) out.push(`${where}: no test "${test[2]}" in ${test[1]}`);
  }
  return out;
}

/** Everything wrong with one provider's ledger; empty when it is honest. */
export function ledgerProblems(ledger: ProviderLedger, ctx: LedgerContext): string[] {
  const out = ledger.rows.flatMap((row, n) => rowProblems(ledger, row, n, ctx));
  const pointers = ledger.rows.flatMap((r) => r.spec ?? []);
  for (const note of ledger.notes) {
    if (note.name in META_NOTES) continue;
    const covered = pointers.some((p) => p === note.pointer || p.startsWith(`${note.pointer}/`));
    if (!covered) out.push(`${ledger.specFile}: note ${note.pointer} is in no ledger row`);
  }
  return out;
}

export interface LedgerCounts {
  rules: number;
  documented: number;
  guesses: number;
  /** Of the guesses, those no switch changes. */
  fixed: number;
}

export function ledgerCounts(ledgers: readonly ProviderLedger[]): LedgerCounts {
  const rows = ledgers.flatMap((l) => l.rows);
  const documented = rows.filter((r) => r.kind === "documented").length;
  const fixed = rows.filter((r) => r.kind === "fixed-guess").length;
  return { rules: rows.length, documented, guesses: rows.length - documented, fixed };
}

/** The sentence the README carries, so a test can hold the README to the ledger. */
export const countsSentence = (c: LedgerCounts) =>
  `${c.rules} vendor rules: ${c.documented} documented, ${c.guesses} GUESS ` +
  `(${c.guesses - c.fixed} with a config switch, ${c.fixed} fixed)`;

const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ").trim();

function sourceLink(url: string): string {
  const u = new URL(url);
  const tail = u.pathname.split("/").filter(Boolean).slice(-1)[0] ?? "";
  return `[${u.hostname.replace(/^www\./, "")}${tail ? ` … ${tail}` : ""}](${url})`;
}

function table(ledger: ProviderLedger): string[] {
  const lines = [
    "| # | vendor rule | source | spec | kind | config | test |",
    "|---|---|---|---|---|---|---|",
  ];
  ledger.rows.forEach((row, i) => {
    const kind = row.kind === "documented" ? "documented" : row.kind === "guess" ? "GUESS" : "GUESS (fixed)";
    const spec = row.spec.map((p) => `\`${p}\``).join("<br>");
    const [file, name] = row.test.split(" › ");
    const config = row.config ? `\`${row.config}\`` : cell(row.why ?? "—");
    lines.push(
      `| ${ledger.id}-${i + 1} | ${cell(row.rule)} | ${sourceLink(row.source)} | ${spec} | ${kind} | ${config} | [${cell(name ?? "")}](../${file}) |`,
    );
  });
  return lines;
}

function noteIndex(ledger: ProviderLedger): string[] {
  return ledger.notes.map((note) => {
    if (note.name in META_NOTES) return `- \`${note.pointer}\`: not a rule (${META_NOTES[note.name]})`;
    const rows = ledger.rows
      .map((r, i) => (r.spec.some((p) => p === note.pointer || p.startsWith(`${note.pointer}/`)) ? i + 1 : 0))
      .filter((i) => i > 0)
      .map((i) => `${ledger.id}-${i}`);
    return `- \`${note.pointer}\`: ${rows.join(", ") || "**in no row**"}`;
  });
}

/** docs/ledger.md, generated: never edit it, edit the specs' `x-embedkit-ledger` rows. */
export function renderLedger(ledgers: readonly ProviderLedger[]): string {
  const total = ledgerCounts(ledgers);
  const out = [
    "<!-- Generated by `npm run gen` from the x-embedkit-ledger rows of spec/*.yaml. Do not edit. -->",
    "",
    "# Faithfulness ledger",
    "",
    `Every vendor rule the specs and the emulator follow, with the public page that states it, where the`,
    `spec says it, whether the vendor documents it or we chose (GUESS), the config key that changes a`,
    `choice, and the test that proves it. ${countsSentence(total)}.`,
    "",
    "A GUESS is a choice where the vendor publishes nothing; the spec marks it with an `x-embedkit-*`",
    "note and a config key changes it. A fixed GUESS is a shape no switch could usefully change (an",
    "error body, a claim name): the test pins exactly what we emit. `test/scripts/ledger.test.ts`",
    "fails when a row names a test or a spec location that does not exist, when a GUESS names no",
    "config key, or when a spec's note is in no row.",
  ];
  for (const ledger of ledgers) {
    const c = ledgerCounts([ledger]);
    out.push("", `## ${ledger.name} (\`${ledger.specFile}\`)`, "", `${countsSentence(c)}.`, "");
    out.push(...table(ledger), "", `### Notes in \`${ledger.specFile}\``, "", ...noteIndex(ledger));
  }
  return `${out.join("\n")}\n`;
}
