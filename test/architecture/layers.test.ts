import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { checkLayers, describeViolation, specifiers, srcRoot } from "./layers.js";

const here = dirname(fileURLToPath(import.meta.url));

describe("the layering of DESIGN.md", () => {
  it("holds in src/: no forbidden import, process.env only in the cli", () => {
    expect(checkLayers(srcRoot(here)).map(describeViolation)).toEqual([]);
  });
});

describe("reading imports", () => {
  it.each([
    [`import { a } from "../x/index.js";`, ["../x/index.js"]],
    [`import type { A } from "./a.js";\nexport { b } from "../b/index.js";`, ["./a.js", "../b/index.js"]],
    [`import "./side-effect.js";`, ["./side-effect.js"]],
    [`const m = await import("../cli/main.js");`, ["../cli/main.js"]],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the text of a template-literal import, read as text.
    ["const p = await import(/* @vite-ignore */ `../providers/${id}/index.js`);", ["../providers/"]],
    [`import { x } from "node:fs";`, ["node:fs"]],
  ])("%s", (text, expected) => {
    expect(specifiers(text)).toEqual(expected);
  });
});

/** A fixture tree: a minimal src/ that is fine, plus the one file a case adds. */
const BASE: Record<string, string> = {
  "index.ts": `export * from "./contract/index.js";\nexport * from "./emulator/index.js";`,
  "cli/main.ts": `import { run } from "../contract/index.js";\nexport const port = process.env.PORT ?? run;`,
  "contract/index.ts": `import { loadSpec } from "../openapi/index.js";\nexport const run = loadSpec;`,
  "emulator/index.ts": `export * from "./server/emulator.js";`,
  "emulator/server/emulator.ts": `import "../pipeline/kernel.js";\nawait import(\`../providers/\${id}/index.js\`);`,
  "emulator/pipeline/kernel.ts": `import "../kit/index.js";`,
  "emulator/kit/index.ts": `export * from "../../tokens/index.js";`,
  "emulator/providers/acme/index.ts": `import { kit } from "../../kit/index.js";\nimport type { x } from "../../../../generated/acme.js";\nimport "./tokens.js";`,
  "openapi/index.ts": `export const loadSpec = 1;`,
  "tokens/index.ts": `import { createHash } from "node:crypto";`,
};

const root = mkdtempSync(join(tmpdir(), "embedkit-layers-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function tree(name: string, extra: Record<string, string>): string {
  const dir = join(root, name);
  for (const [file, text] of Object.entries({ ...BASE, ...extra })) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

describe("a fixture tree with one forbidden arrow fails, naming the file and the rule", () => {
  it("the base tree passes", () => {
    expect(checkLayers(tree("base", {}))).toEqual([]);
  });

  it.each([
    {
      name: "contract → emulator",
      file: "contract/checks/peek.ts",
      text: `import { createEmulator } from "../../emulator/index.js";`,
      message: "src/contract/checks/peek.ts imports src/emulator/index.js: contract → emulator is forbidden",
    },
    {
      name: "emulator → contract",
      file: "emulator/pipeline/judge.ts",
      text: `export { run } from "../../contract/index.js";`,
      message:
        "src/emulator/pipeline/judge.ts imports src/contract/index.js: emulator → contract is forbidden",
    },
    {
      name: "anything → cli",
      file: "contract/options.ts",
      text: `const { main } = await import("../cli/main.js");`,
      message: "src/contract/options.ts imports src/cli/main.js: nothing imports the cli",
    },
    {
      name: "openapi → schema",
      file: "openapi/compile.ts",
      text: `import type { SchemaEngine } from "../schema/index.js";`,
      message:
        "src/openapi/compile.ts imports src/schema/index.js: openapi → schema is forbidden (openapi may import nothing of ours)",
    },
    {
      name: "tokens → openapi",
      file: "tokens/pointer.ts",
      text: `import { getAtPointer } from "../openapi/index.js";`,
      message: "src/tokens/pointer.ts imports src/openapi/index.js: tokens → openapi is forbidden",
    },
    {
      name: "schema → tokens",
      file: "schema/keys.ts",
      text: `import "../tokens/index.js";`,
      message: "src/schema/keys.ts imports src/tokens/index.js: schema → tokens is forbidden",
    },
    {
      name: "a provider → the pipeline",
      file: "emulator/providers/acme/handlers.ts",
      text: `import type { Kernel } from "../../pipeline/kernel.js";`,
      message:
        "src/emulator/providers/acme/handlers.ts imports src/emulator/pipeline/kernel.js: a provider imports only",
    },
    {
      name: "a provider → a kit file other than the entry",
      file: "emulator/providers/acme/ids.ts",
      text: `import { randomHex } from "../../kit/ids.js";`,
      message: "src/emulator/providers/acme/ids.ts imports src/emulator/kit/ids.js: a provider imports only",
    },
    {
      name: "a provider → another provider",
      file: "emulator/providers/acme/borrow.ts",
      text: `import { provider } from "../cube/index.js";`,
      message:
        "src/emulator/providers/acme/borrow.ts imports src/emulator/providers/cube/index.js: a provider imports only",
    },
    {
      name: "a provider → openapi directly",
      file: "emulator/providers/acme/spec.ts",
      text: `import type { SpecModel } from "../../../openapi/index.js";`,
      message: "src/emulator/providers/acme/spec.ts imports src/openapi/index.js: a provider imports only",
    },
    {
      name: "the kit → the server",
      file: "emulator/kit/start.ts",
      text: `import { createEmulator } from "../server/emulator.js";`,
      message: "src/emulator/kit/start.ts imports src/emulator/server/emulator.js: the kit imports nothing",
    },
    {
      name: "process.env outside the cli",
      file: "emulator/pipeline/debug.ts",
      text: `export const debug = process.env.DEBUG === "1";`,
      message: "src/emulator/pipeline/debug.ts: process.env is read only in src/cli/",
    },
    {
      name: "an import outside src",
      file: "contract/bench.ts",
      text: `import "../../bench/run.js";`,
      message: "src/contract/bench.ts imports bench/run.js: src imports nothing outside src but generated/",
    },
  ])("$name", ({ name, file, text, message }) => {
    const found = checkLayers(tree(name.replace(/\W+/g, "-"), { [file]: text })).map(describeViolation);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(message);
  });
});
