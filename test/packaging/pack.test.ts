import { execFileSync } from "node:child_process";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../src/openapi/index.js";

/**
 * What npm would publish, installed as a user installs it: `npm pack`, then the tarball into a
 * fresh project, offline (see install()), a strict NodeNext TypeScript file against the public API
 * compiled and run, and `npx embedkit`.
 */
const root = packageRoot();
const project = mkdtempSync(join(tmpdir(), "embedkit-pack-"));
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  bin: { embedkit: string };
};
const run = (cmd: string, args: string[], cwd = project) =>
  execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 240_000 });

const USER_CODE = `import {
  createCubeClient,
  createEmulator,
  createExploClient,
  runContract,
  specPath,
  type Summary,
} from "embedkit";

const emulator = await createEmulator({ provider: "cube", config: { maxExternalUsers: 50 } });
const cube = createCubeClient({ baseUrl: "http://127.0.0.1:4010/api", apiKey: "ek_cube_admin_dev" });
const explo = createExploClient({ baseUrl: "http://127.0.0.1:4011", token: "ek_explo_dev_token" });
const run = runContract({
  provider: "cube",
  fetch: (request: Request) => emulator.fetch(request),
  auth: emulator.credentials.auth,
  tokenKeys: emulator.credentials.tokenKeys,
  maxCases: 2,
  seed: 3,
});
const summary: Summary = await run.summary;
const spec: string = specPath("cube");
await emulator.close();
console.log(JSON.stringify({ failures: summary.failures.length, cases: summary.cases, spec: spec.endsWith("cube.yaml"), clients: typeof cube.POST + typeof explo.POST }));
`;

let tarball = "";
/**
 * npm's install, by hand and offline: the tarball unpacked as node_modules/embedkit, its bin linked,
 * and each of its declared `dependencies` (plus typescript and @types/node for the user's build)
 * linked from this checkout's node_modules. Only what package.json declares is there, so a
 * dependency missing from it fails here; what those packages need resolves from where they live.
 */
function install(): void {
  const modules = join(project, "node_modules");
  mkdirSync(join(modules, ".bin"), { recursive: true });
  run("tar", ["-xzf", tarball, "-C", modules]);
  renameSync(join(modules, "package"), join(modules, "embedkit"));
  for (const dep of [...Object.keys(pkg.dependencies), "typescript", "@types/node"]) {
    mkdirSync(dirname(join(modules, dep)), { recursive: true });
    symlinkSync(join(root, "node_modules", dep), join(modules, dep), "dir");
  }
  for (const [name, target] of [
    ["embedkit", join("..", "embedkit", pkg.bin.embedkit)],
    ["tsc", join("..", "typescript", "bin", "tsc")],
  ] as const) {
    symlinkSync(target, join(modules, ".bin", name));
    chmodSync(join(modules, ".bin", name), 0o755);
  }
}

beforeAll(() => {
  // --ignore-scripts: dist/ is already built (npm test builds a stale checkout first), and
  // rebuilding here would empty dist/ under the other test files.
  const packed = run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", project], root);
  tarball = join(project, (JSON.parse(packed) as Array<{ filename: string }>)[0]?.filename ?? "");
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "user-project", private: true, type: "module" }),
  );
  writeFileSync(
    join(project, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        noUncheckedIndexedAccess: true,
        verbatimModuleSyntax: true,
        types: ["node"],
        noEmit: true,
        skipLibCheck: true,
      },
      files: ["use.ts"],
    }),
  );
  writeFileSync(join(project, "use.ts"), USER_CODE);
  install();
}, 300_000);

afterAll(() => rmSync(project, { recursive: true, force: true }));

describe("the packed tarball, installed into a fresh project", () => {
  it("ships dist, the specs and the generated types, and nothing of the tests", () => {
    const files = run("tar", ["-tzf", tarball]).split("\n");
    for (const f of ["package/dist/bundle/main.js", "package/dist/src/index.d.ts", "package/spec/cube.yaml"])
      expect(files).toContain(f);
    expect(files.some((f) => f.startsWith("package/test/"))).toBe(false);
  });

  it("typechecks a strict NodeNext file using createEmulator, the clients and runContract, and runs it: the emulator passes its contract in-process, without a target", () => {
    // tsc fails (throws) on any type error; it emits only a checked program.
    run(join(project, "node_modules", ".bin", "tsc"), ["-p", ".", "--noEmit", "false", "--outDir", "out"]);
    const printed = JSON.parse(run(process.execPath, [join("out", "use.js")])) as Record<string, unknown>;
    expect(printed).toEqual({
      failures: 0,
      cases: expect.any(Number),
      spec: true,
      clients: "functionfunction",
    });
  }, 240_000);

  it("npx embedkit --help works there", () => {
    expect(run("npx", ["--offline", "embedkit", "--help"])).toMatch(/usage: embedkit <command>/);
  }, 120_000);
});
