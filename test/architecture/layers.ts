import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, posix, relative, sep } from "node:path";

/**
 * The layering of DESIGN.md as data, checked by reading the imports of every file under `src/`:
 * each top-level folder may import only the folders listed for it; providers import only the kit;
 * `process.env` is read only in the CLI. A rule broken is a violation naming the file and the rule.
 */
export const MAY_IMPORT: Record<string, readonly string[]> = {
  cli: ["contract", "emulator", "clients", "openapi", "schema", "tokens"],
  contract: ["openapi", "schema", "tokens"],
  emulator: ["openapi", "schema", "tokens"],
  clients: [],
  schema: [],
  openapi: [],
  tokens: [],
  // src/index.ts, the package's programmatic API.
  "": ["contract", "emulator", "clients", "openapi", "schema", "tokens"],
};

export interface Violation {
  file: string;
  imports?: string;
  rule: string;
}

function* tsFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* tsFiles(path);
    else if (/\.(ts|mts)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) yield path;
  }
}

/** Every module specifier a file names: static imports and re-exports, side-effect and dynamic imports. */
export function specifiers(text: string): string[] {
  const out: string[] = [];
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["'`]([^"'`$]+)["'`]/g;
  for (const m of text.matchAll(pattern)) if (m[1] !== undefined) out.push(m[1]);
  // A template-literal dynamic import (`../providers/${id}/index.js`): its fixed prefix decides the layer.
  for (const m of text.matchAll(/\bimport\s*\(\s*(?:\/\*.*?\*\/\s*)?`([^`$]*)\$\{/g))
    if (m[1] !== undefined) out.push(m[1]);
  return out;
}

const toPosix = (path: string) => path.split(sep).join(posix.sep);

/** `layer` is the top-level folder under src ("" for src/index.ts); `rest` the path below it. */
function place(path: string): { layer: string; rest: string } {
  const parts = path.split("/");
  return parts.length === 1
    ? { layer: "", rest: path }
    : { layer: parts[0] ?? "", rest: parts.slice(1).join("/") };
}

const PROVIDER = /^emulator\/providers\/([^/]+)\//;

function providerRule(from: string, target: string): string | undefined {
  const own = PROVIDER.exec(from)?.[1];
  if (own === undefined) return undefined;
  if (target.startsWith(`emulator/providers/${own}/`)) return undefined;
  if (target === "emulator/kit/index.ts" || target === "emulator/kit/index.js") return undefined;
  return "a provider imports only its own folder, the kit entry emulator/kit/index.ts and its generated types";
}

function kitRule(from: string, target: string): string | undefined {
  if (!from.startsWith("emulator/kit/") || !target.startsWith("emulator/")) return undefined;
  return target.startsWith("emulator/kit/")
    ? undefined
    : "the kit imports nothing of the emulator's server, pipeline or providers";
}

/** The rule `from` breaks by importing `target` (both relative to src, posix), if any. */
export function ruleBroken(from: string, target: string): string | undefined {
  if (target.startsWith("../")) {
    const outside = target.replace(/^(\.\.\/)+/, "");
    return outside.startsWith("generated/") ? undefined : `src imports nothing outside src but generated/`;
  }
  const source = place(from);
  const dest = place(target);
  if (dest.layer === "cli" && source.layer !== "cli") return "nothing imports the cli";
  const provider = providerRule(from, target) ?? kitRule(from, target);
  if (provider) return provider;
  if (source.layer === dest.layer) return undefined;
  const allowed = MAY_IMPORT[source.layer];
  if (allowed === undefined) return `${source.layer || "src"} is not a declared layer (add it to MAY_IMPORT)`;
  if (!allowed.includes(dest.layer)) {
    const may = allowed.length ? allowed.join(", ") : "nothing of ours";
    return `${source.layer || "src/index.ts"} → ${dest.layer || "src/index.ts"} is forbidden (${source.layer || "src/index.ts"} may import ${may})`;
  }
  return undefined;
}

/** Every violation under `root` (a folder laid out like src/), file paths relative to it. */
export function checkLayers(root: string): Violation[] {
  const violations: Violation[] = [];
  for (const file of tsFiles(root)) {
    const from = toPosix(relative(root, file));
    const text = readFileSync(file, "utf8");
    if (/\bprocess\.env\b/.test(text) && place(from).layer !== "cli")
      violations.push({ file: from, rule: "process.env is read only in src/cli/" });
    for (const spec of specifiers(text)) {
      if (!spec.startsWith(".")) continue;
      const target = posix.normalize(posix.join(posix.dirname(from), spec));
      const rule = ruleBroken(from, target);
      if (rule) violations.push({ file: from, imports: target, rule });
    }
  }
  return violations;
}

export const describeViolation = (v: Violation) =>
  `src/${v.file}${v.imports ? ` imports ${v.imports.startsWith("../") ? v.imports.slice(3) : `src/${v.imports}`}` : ""}: ${v.rule}`;

export const srcRoot = (testDir: string) => join(dirname(dirname(testDir)), "src");
