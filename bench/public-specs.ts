/**
 * `npm run bench:public`: embedkit test and Specmatic 2.55 side by side against real Prism mocks of
 * public specs nobody here wrote (Petstore 3.0, Train Travel 3.1, a GitHub subset), plus the time
 * to load GitHub's whole 13 MB REST description. The specs come from npm packages that ship them,
 * installed into a temporary folder outside the repository (never committed); Specmatic runs on
 * the machine's Java and is skipped, with a note, when there is none. Writes
 * bench/public-results.md and bench/public-results.json; the findings are reviewed by hand in
 * the closing note of the issue that added this.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { packageRoot } from "../src/openapi/index.js";
import { freePort, median, startServer } from "./lib/process.js";
import { EMBEDKIT_CLI, prismBin } from "./lib/targets.js";

const PACKAGES = ["@readme/oas-examples@8.2.2", "@octokit/openapi@23.0.2", "specmatic@2.55.1"];
const { values } = parseArgs({
  options: {
    dir: { type: "string", default: join(tmpdir(), "embedkit-public-specs") },
    "max-cases": { type: "string", default: "10" },
    seed: { type: "string", default: "1" },
    "skip-specmatic": { type: "boolean", default: false },
  },
});
const dir = values.dir as string;
const root = packageRoot();
const log = (line: string) => process.stderr.write(`[bench:public] ${line}\n`);

function install(): void {
  if (existsSync(join(dir, "node_modules", "specmatic", "specmatic.jar"))) return;
  mkdirSync(dir, { recursive: true });
  log(`installing ${PACKAGES.join(" ")} into ${dir}`);
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefix", dir, ...PACKAGES], {
    stdio: "inherit",
  });
}

const mod = (...p: string[]) => join(dir, "node_modules", ...p);

/** A subset of GitHub's spec: the issue and label operations of one repository, refs kept whole. */
function githubSubset(): string {
  const out = join(dir, "github-issues.json");
  if (existsSync(out)) return out;
  const doc = JSON.parse(
    readFileSync(mod("@octokit", "openapi", "generated", "api.github.com.json"), "utf8"),
  );
  const keep = Object.keys(doc.paths).filter((p) =>
    /^\/repos\/\{owner\}\/\{repo\}\/(issues|labels)(\/\{[a-z_]+\})?$/.test(p),
  );
  doc.paths = Object.fromEntries(keep.map((p) => [p, doc.paths[p]]));
  // Keep only the components those paths reach: Prism dereferences everything it is given.
  const reached = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) for (const n of node) visit(n);
    else if (node && typeof node === "object") {
      for (const [k, v] of Object.entries(node)) {
        if (k === "$ref" && typeof v === "string" && !reached.has(v)) {
          reached.add(v);
          visit(
            v
              .slice(2)
              .split("/")
              .reduce((n: Record<string, unknown>, t) => n?.[t] as Record<string, unknown>, doc),
          );
        } else visit(v);
      }
    }
  };
  visit(doc.paths);
  for (const [kind, group] of Object.entries(doc.components as Record<string, Record<string, unknown>>)) {
    for (const name of Object.keys(group))
      if (!reached.has(`#/components/${kind}/${name}`)) delete group[name];
  }
  writeFileSync(out, JSON.stringify(doc));
  return out;
}

interface Spec {
  name: string;
  file: string;
}

function specs(): Spec[] {
  return [
    { name: "Petstore 3.0", file: mod("@readme", "oas-examples", "3.0", "json", "petstore.json") },
    { name: "Train Travel 3.1", file: mod("@readme", "oas-examples", "3.1", "json", "train-travel.json") },
    { name: "GitHub issues+labels (3.0 subset)", file: githubSubset() },
  ];
}

function runTimed(command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  return new Promise<{ ms: number; code: number | null; stdout: string; stderr: string }>((resolve) => {
    const started = performance.now();
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    child.on("exit", (code) => resolve({ ms: performance.now() - started, code, stdout, stderr }));
  });
}

async function withPrism<T>(spec: Spec, work: (url: string) => Promise<T>): Promise<T> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const prism = await startServer(
    process.execPath,
    [prismBin(), "mock", spec.file, "-h", "127.0.0.1", "-p", String(port), "-v", "silent"],
    async () => {
      const r = await fetch(url);
      await r.body?.cancel();
      return true;
    },
    120_000,
  );
  try {
    return await work(url);
  } finally {
    await prism.stop();
  }
}

interface EmbedkitResult {
  ms: number;
  exit: number | null;
  requests: number;
  failures: number;
  byCheck: Record<string, number>;
  kinds: Array<{ check: string; operationId: string; message: string; count: number; curl?: string }>;
}

async function embedkit(spec: Spec, url: string): Promise<EmbedkitResult> {
  const report = join(dir, `${spec.name.replace(/\W+/g, "-")}.ndjson`);
  const args = [EMBEDKIT_CLI, "test", spec.file, "--target", url, "--seed", String(values.seed)];
  args.push("--max-cases", String(values["max-cases"]), "--report", `json=${report}`);
  const r = await runTimed(process.execPath, args);
  const events = readFileSync(report, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  let requests = 0;
  for (const e of events) if (e.type === "case-finished") requests += e.exchanges.length;
  const summary = events.find((e) => e.type === "run-finished")?.summary;
  const byCheck: Record<string, number> = {};
  const kinds = new Map<string, EmbedkitResult["kinds"][number]>();
  for (const f of summary?.failures ?? []) {
    byCheck[f.check] = (byCheck[f.check] ?? 0) + 1;
    const key = `${f.check}|${f.operationId}|${f.message}`;
    const k = kinds.get(key) ?? {
      check: f.check,
      operationId: f.operationId,
      message: f.message.slice(0, 200),
      count: 0,
    };
    k.count++;
    kinds.set(key, k);
  }
  return {
    ms: r.ms,
    exit: r.code,
    requests,
    failures: summary?.failures.length ?? 0,
    byCheck,
    kinds: [...kinds.values()],
  };
}

interface SpecmaticResult {
  ms: number;
  exit: number | null;
  tests?: number;
  failures?: number;
  note?: string;
}

function hasJava(): boolean {
  try {
    execFileSync("java", ["-version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

async function specmatic(spec: Spec, url: string): Promise<SpecmaticResult> {
  const r = await runTimed("java", [
    "-jar",
    mod("specmatic", "specmatic.jar"),
    "test",
    spec.file,
    `--testBaseURL=${url}`,
  ]);
  const text = `${r.stdout}\n${r.stderr}`;
  const m = /Tests run: (\d+), Successes: (\d+), Failures: (\d+)(?:, Errors: (\d+))?/.exec(text);
  if (!m) return { ms: r.ms, exit: r.code, note: text.trim().split("\n").slice(-3).join(" ").slice(0, 300) };
  return { ms: r.ms, exit: r.code, tests: Number(m[1]), failures: Number(m[3]) + Number(m[4] ?? 0) };
}

async function githubLoad(): Promise<number[]> {
  const file = mod("@octokit", "openapi", "generated", "api.github.com.json");
  const script = `import(${JSON.stringify(join(root, "dist", "src", "openapi", "index.js"))}).then(async (m) => { const t = performance.now(); await m.loadSpec(${JSON.stringify(file)}); console.log(performance.now() - t); })`;
  const times: number[] = [];
  for (let i = 0; i < 5; i++)
    times.push(Number(execFileSync(process.execPath, ["-e", script]).toString().trim()));
  return times;
}

async function main() {
  install();
  log("building the CLI (npm run build)");
  execFileSync("npm", ["run", "-s", "build"], { cwd: root, stdio: "inherit" });
  const java = !values["skip-specmatic"] && hasJava();
  if (!java) log("no Java (or --skip-specmatic): Specmatic is skipped");
  const rows = [];
  for (const spec of specs()) {
    try {
      log(`${spec.name}: embedkit`);
      const ours = await withPrism(spec, (url) => embedkit(spec, url));
      log(`${spec.name}: Specmatic`);
      const theirs = java ? await withPrism(spec, (url) => specmatic(spec, url)) : undefined;
      rows.push({ spec: spec.name, embedkit: ours, specmatic: theirs });
    } catch (error) {
      log(`${spec.name}: skipped: ${(error as Error).message.slice(0, 200)}`);
    }
  }
  log("loading GitHub's full REST description, 5 times");
  const load = await githubLoad();
  const results = {
    when: new Date().toISOString(),
    seed: values.seed,
    maxCases: values["max-cases"],
    rows,
    githubLoadMs: load,
  };
  writeFileSync(join(root, "bench", "public-results.json"), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(root, "bench", "public-results.md"), markdown(results));
  log("wrote bench/public-results.md and bench/public-results.json");
}

function markdown(r: {
  rows: Array<{ spec: string; embedkit: EmbedkitResult; specmatic?: SpecmaticResult }>;
  githubLoadMs: number[];
  seed: unknown;
  maxCases: unknown;
}): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const lines = [
    "# embedkit test vs Specmatic 2.55 on public specs, both against Prism 5.14 (`npm run bench:public`)",
    "",
    `embedkit: \`embedkit test <spec> --target <prism> --seed ${r.seed} --max-cases ${r.maxCases}\`; Specmatic: \`java -jar specmatic.jar test <spec> --testBaseURL=<prism>\`.`,
    "",
    "| spec | embedkit wall | requests | failures | Specmatic wall | tests | failures |",
    "|---|---|---|---|---|---|---|",
    ...r.rows.map((row) => {
      const t = row.specmatic;
      const theirs = !t
        ? "skipped (no Java) | – | –"
        : t.tests === undefined
          ? `${s(t.ms)} | refused: ${t.note ?? ""} | –`
          : `${s(t.ms)} | ${t.tests} | ${t.failures}`;
      return `| ${row.spec} | ${s(row.embedkit.ms)} | ${row.embedkit.requests} | ${row.embedkit.failures} | ${theirs} |`;
    }),
    "",
    `GitHub's 13 MB REST description (api.github.com.json) loads in ${r.githubLoadMs.map((m) => `${Math.round(m)}`).join(", ")} ms (median ${Math.round(median(r.githubLoadMs))} ms).`,
    "",
    "## embedkit failures by kind",
    "",
    ...r.rows.flatMap((row) => [
      `### ${row.spec}`,
      "",
      ...row.embedkit.kinds.map((k) => `- ${k.count} × [${k.check}] ${k.operationId}: ${k.message}`),
      "",
    ]),
  ];
  return `${lines.join("\n")}\n`;
}

await main();
