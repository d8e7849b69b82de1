// Runs after tsc in `npm run build`.
// 1. tsc does not copy .d.ts inputs to its output, but dist/src/clients imports ../../generated/*.js
//    types: copy generated/ beside dist/src so the published declarations resolve.
// 2. Parse each shipped spec once, here, into dist/spec-cache/<sha256 of the YAML>.json, so start-up
//    reads JSON instead of loading and running the YAML parser (see src/openapi/parsed-cache.ts). Its
//    x-embedkit-* notes are checked first: a cached spec is one whose notes are valid.
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { noteProblems } from "../dist/src/openapi/note-check.js";

cpSync("generated", "dist/generated", { recursive: true });

// 3. The providers' browser assets (embed pages' scripts, web components) are plain JavaScript that
//    tsc does not copy: put them beside the compiled providers.
for (const id of readdirSync("src/emulator/providers")) {
  const from = join("src", "emulator", "providers", id, "browser");
  if (existsSync(from)) cpSync(from, join("dist", from), { recursive: true });
}

const cacheDir = join("dist", "spec-cache");
rmSync(cacheDir, { recursive: true, force: true });
mkdirSync(cacheDir, { recursive: true });
for (const file of readdirSync("spec").filter((f) => f.endsWith(".yaml"))) {
  const text = readFileSync(join("spec", file), "utf8");
  const key = createHash("sha256").update(text).digest("hex");
  const doc = parse(text, { uniqueKeys: true });
  // The cache stands for "parsed and checked": loadSpec skips the note check on a cache hit.
  const problems = noteProblems(doc);
  if (problems.length) {
    for (const p of problems) console.error(`spec/${file}#${p.pointer}: ${p.message}`);
    process.exit(1);
  }
  writeFileSync(join(cacheDir, `${key}.json`), JSON.stringify(doc));
}
