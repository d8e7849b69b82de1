import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  countsSentence,
  LEDGER_FILE,
  type LedgerContext,
  type LedgerRow,
  ledgerCounts,
  ledgerProblems,
  type ProviderLedger,
  readLedger,
  renderLedger,
} from "../../scripts/ledger.js";
import { COMMON_SCHEMA_PROPERTIES } from "../../src/emulator/kit/config.js";
import { loadProvider } from "../../src/emulator/server/emulator.js";
import { PROVIDERS, packageRoot } from "../../src/openapi/index.js";

const root = packageRoot();
const ledgers = PROVIDERS.map((p) => readLedger(root, p));

/** Whether a dotted key walks `properties` (and array `items`) of the provider's config schema. */
function schemaHas(schema: Record<string, unknown>, key: string): boolean {
  let node: unknown = { properties: { ...COMMON_SCHEMA_PROPERTIES, ...(schema.properties as object) } };
  for (const part of key.split(".")) {
    const n = node as {
      properties?: Record<string, unknown>;
      items?: { properties?: Record<string, unknown> };
    };
    node = n.properties?.[part] ?? n.items?.properties?.[part];
    if (node === undefined) return false;
  }
  return true;
}

async function context(): Promise<LedgerContext> {
  const schemas = new Map<string, Record<string, unknown>>();
  for (const p of PROVIDERS) schemas.set(p.id, (await loadProvider(p.id)).configSchema);
  return {
    readFile: (path) => (existsSync(join(root, path)) ? readFileSync(join(root, path), "utf8") : undefined),
    hasConfig: (id, key) => schemaHas(schemas.get(id) ?? {}, key),
  };
}

describe("the faithfulness ledger", () => {
  it.each(ledgers.map((l) => [l.id, l] as const))(
    "%s: every row is honest and every note is in a row",
    async (_id, ledger) => {
      expect(ledgerProblems(ledger, await context())).toEqual([]);
      expect(ledger.rows.length).toBeGreaterThan(5);
    },
  );

  it("docs/ledger.md is what `npm run gen` renders from the specs", () => {
    expect(readFileSync(join(root, LEDGER_FILE), "utf8")).toBe(renderLedger(ledgers));
  });

  it("the README links the ledger and states its counts", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    expect(readme).toContain("(docs/ledger.md)");
    expect(readme).toContain(countsSentence(ledgerCounts(ledgers)));
  });

  /** A broken copy of Cube's ledger: each defect must be named. */
  it.each<[string, Partial<LedgerRow>, string]>([
    ["a test file that does not exist", { test: "test/emulator/nope.test.ts › x" }, "does not exist"],
    [
      "a test name not in its file",
      { test: "test/emulator/cube.test.ts › no such test name" },
      'no test "no such test name"',
    ],
    ["a spec location that does not resolve", { spec: ["/paths/~1nowhere"] }, "is not in the spec"],
    ["a GUESS without a config key", { kind: "guess", config: undefined }, "must name the config key"],
    ["a config key the provider does not have", { config: "noSuchKey" }, "no config key noSuchKey"],
    ["a fixed GUESS without why", { kind: "fixed-guess", why: undefined }, "must say why"],
    ["a source that is not a public URL", { source: "providers.md" }, "public https URL"],
  ])("fails on %s", async (_name, change, message) => {
    const cube = ledgers[0] as ProviderLedger;
    const broken: ProviderLedger = {
      ...cube,
      rows: cube.rows.map((r, i) => (i === 0 ? { ...r, ...change } : r)),
    };
    expect(ledgerProblems(broken, await context()).join("\n")).toContain(message);
  });

  it("fails when a spec note is in no row", async () => {
    const cube = ledgers[0] as ProviderLedger;
    const broken = {
      ...cube,
      notes: [...cube.notes, { name: "x-embedkit-new", pointer: "/info/x-embedkit-new" }],
    };
    expect(ledgerProblems(broken, await context())).toEqual([
      "spec/cube.yaml: note /info/x-embedkit-new is in no ledger row",
    ]);
  });
});
