/**
 * spec/<provider>.yaml → generated/<provider>.d.ts with openapi-typescript, and the specs'
 * x-embedkit-ledger rows → docs/ledger.md.
 *   npm run gen          write every file
 *   npm run gen:check    regenerate in memory; list EVERY stale, missing or orphaned file; exit 1 if any
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { renderTypes } from "../src/cli/gen-types.js";
import { PROVIDERS } from "../src/openapi/index.js";
import { LEDGER_FILE, readLedger, renderLedger } from "./ledger.js";

export { BANNER, renderTypes } from "../src/cli/gen-types.js";

export interface GenResult {
  spec: string;
  output: string;
  status: "fresh" | "stale" | "missing" | "written";
}

export async function generate(
  root: string,
  check: boolean,
): Promise<{ results: GenResult[]; orphans: string[] }> {
  const specDir = join(root, "spec");
  const outDir = join(root, "generated");
  const specs = readdirSync(specDir)
    .filter((f) => f.endsWith(".yaml"))
    .sort();
  const results: GenResult[] = [];
  for (const spec of specs) {
    const output = join(outDir, spec.replace(/\.yaml$/, ".d.ts"));
    const expected = await renderTypes(join(specDir, spec));
    const current = existsSync(output) ? readFileSync(output, "utf8") : undefined;
    let status: GenResult["status"] =
      current === undefined ? "missing" : current === expected ? "fresh" : "stale";
    if (!check && status !== "fresh") {
      writeFileSync(output, expected);
      status = "written";
    }
    results.push({ spec: `spec/${spec}`, output: `generated/${basename(output)}`, status });
  }
  const wanted = new Set(results.map((r) => basename(r.output)));
  const orphans = existsSync(outDir)
    ? readdirSync(outDir)
        .filter((f) => f.endsWith(".d.ts") && !wanted.has(f))
        .map((f) => `generated/${f}`)
    : [];
  return { results, orphans };
}

/** docs/ledger.md from every registered provider's spec, written or checked like the types. */
export function generateLedger(root: string, check: boolean): GenResult {
  const output = join(root, LEDGER_FILE);
  const expected = renderLedger(PROVIDERS.map((p) => readLedger(root, p)));
  const current = existsSync(output) ? readFileSync(output, "utf8") : undefined;
  let status: GenResult["status"] =
    current === undefined ? "missing" : current === expected ? "fresh" : "stale";
  if (!check && status !== "fresh") {
    mkdirSync(dirname(output), { recursive: true });
    writeFileSync(output, expected);
    status = "written";
  }
  return { spec: "spec/*.yaml", output: LEDGER_FILE, status };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      check: { type: "boolean", default: false },
      root: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(
      "usage: tsx scripts/gen.ts [--check] [--root <dir>]\n  --check  do not write; exit 1 when any generated file is stale or missing",
    );
    return 0;
  }
  const root = values.root ?? process.cwd();
  const generated = await generate(root, values.check);
  const { orphans } = generated;
  const results = [...generated.results, generateLedger(root, values.check)];
  const bad = results.filter((r) => r.status === "stale" || r.status === "missing");
  for (const r of results) {
    const word = { fresh: "up to date", written: "written", stale: "STALE", missing: "MISSING" }[r.status];
    console.log(`${word.padEnd(10)} ${r.output}  (from ${r.spec})`);
  }
  for (const o of orphans) console.log(`${"ORPHAN".padEnd(10)} ${o}  (no spec/ file generates it)`);
  if (values.check && (bad.length > 0 || orphans.length > 0)) {
    console.error(
      `\n${bad.length + orphans.length} generated file(s) out of date. Run \`npm run gen\` and commit the result.`,
    );
    return 1;
  }
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`gen: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(2);
    },
  );
}
