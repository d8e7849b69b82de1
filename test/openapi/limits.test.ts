import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRng } from "../../src/contract/generate/prng.js";
import { ValueGenerator } from "../../src/contract/generate/values.js";
import {
  DEFAULT_SPEC_LIMITS,
  loadSpec,
  PROVIDER_IDS,
  packageRoot,
  REMOTE_REFS_FLAG,
  SpecError,
  specPath,
} from "../../src/openapi/index.js";
import { prescanAliases } from "../../src/openapi/limits.js";
import { SchemaEngine } from "../../src/schema/index.js";

/**
 * Specs are input: read offline, bounded in size and expansion, and a spec that cannot be read is
 * one SpecError that says where and why, never a hang, a stack trace or gigabytes of memory.
 */
const fixture = (name: string) => join(packageRoot(), "test", "fixtures", "specs", name);
let dir = "";
let server: Server;
let base = "";
/** Requests the remote-ref server saw: with fetching refused there must be none. */
const seen: string[] = [];

const SCHEMA_YAML = "A:\n  type: object\n  properties:\n    n: {type: integer}\n";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "embedkit-spec-limits-"));
  server = createServer((req, res) => {
    seen.push(req.url ?? "");
    if (req.url === "/hang.yaml") return; // accepts, never answers
    if (req.url === "/big.yaml") {
      res.end(`${SCHEMA_YAML}# ${"x".repeat(64 * 1024)}\n`);
      return;
    }
    res.writeHead(200, { "content-type": "application/yaml" });
    res.end(SCHEMA_YAML);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

/** A one-operation spec whose request schema is `$ref: <ref>`, written to the temp dir. */
async function specWithRef(name: string, ref: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(
    file,
    [
      "openapi: 3.1.0",
      "info: {title: remote, version: '1'}",
      "paths:",
      "  /a:",
      "    post:",
      "      operationId: a",
      "      requestBody:",
      "        content:",
      "          application/json:",
      `            schema: {$ref: "${ref}"}`,
      "      responses:",
      '        "200": {description: ok}',
    ].join("\n"),
  );
  return file;
}

async function loadError(path: string, options = {}): Promise<SpecError> {
  const error = await loadSpec(path, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SpecError);
  return error as SpecError;
}

const SCHEMA_POINTER = "/paths/~1a/post/requestBody/content/application~1json/schema";

describe("remote $refs", () => {
  it.each(["/hang.yaml#/A", "/ok.yaml#/A"])(
    "%s is not fetched without the flag, and the error says which flag",
    async (path) => {
      const before = seen.length;
      const error = await loadError(await specWithRef("offline.yaml", `${base}${path}`));
      expect(error.message).toContain(`remote $ref ${base}${path.split("#")[0]}`);
      expect(error.message).toContain(REMOTE_REFS_FLAG);
      expect(error.pointer).toBe(SCHEMA_POINTER);
      expect(seen.length).toBe(before);
    },
  );

  it("with the flag, a host that never answers ends in a timeout naming the ref", async () => {
    const file = await specWithRef("hang.yaml", `${base}/hang.yaml#/A`);
    const error = await loadError(file, { allowRemoteRefs: true, remoteTimeoutMs: 300 });
    expect(error.message).toContain(`${base}/hang.yaml`);
    expect(error.message).toContain("no answer within 300 ms");
  });

  it("with the flag, a document over the size limit is refused", async () => {
    const file = await specWithRef("big.yaml", `${base}/big.yaml#/A`);
    const error = await loadError(file, { allowRemoteRefs: true, remoteMaxBytes: 1024 });
    expect(error.message).toContain("larger than 1024 bytes");
  });

  it("with the flag, a small answering document is bundled", async () => {
    const model = await loadSpec(await specWithRef("ok.yaml", `${base}/ok.yaml#/A`), {
      allowRemoteRefs: true,
    });
    const schema = model.operations[0]?.requestBody?.content["application/json"]?.schema;
    expect(JSON.stringify(model.document)).toContain('"n":{"type":"integer"}');
    expect(schema).toBeDefined();
  });
});

describe("circular $refs", () => {
  it.each([
    [
      "circular-internal.yaml",
      SCHEMA_POINTER,
      "#/components/schemas/A → #/components/schemas/B → #/components/schemas/A",
    ],
    ["circular-external.yaml", SCHEMA_POINTER, "./circular-other.yaml#/A → #/B → #/A"],
  ])("%s is one SpecError with its pointer and the loop", async (name, pointer, loop) => {
    const error = await loadError(fixture(name));
    expect(error.pointer).toBe(pointer);
    expect(error.message).toContain(`circular $ref: `);
    expect(error.message).toContain(loop);
  });

  it("a legal recursive schema loads, validates at any depth, and generates bounded values", async () => {
    const model = await loadSpec(fixture("recursive.yaml"));
    const engine = new SchemaEngine(model.document, { id: "recursive" });
    const tree = engine.compile("/components/schemas/Tree");
    const deep = { name: "a", children: [{ name: "b", children: [{ name: "c", children: [] }] }] };
    expect(tree(deep, "body")).toEqual([]);
    expect(tree({ name: "a", children: [{ name: "b", children: [{ children: [] }] }] }, "body")).not.toEqual(
      [],
    );
    const generator = new ValueGenerator(model.document, createRng(7));
    for (const mode of ["min", "full", "random"] as const) {
      expect(tree(generator.generate({ $ref: "#/components/schemas/Tree" }, mode), "body")).toEqual([]);
    }
    // No finite instance exists: generation stops at its depth bound instead of overflowing the stack.
    const endless = generator.generate({ $ref: "#/components/schemas/Endless" }, "min");
    expect(JSON.stringify(endless).split("next").length - 1).toBeLessThan(40);
  });
});

describe("document size and YAML aliases", () => {
  it("an alias bomb is one clear error, not gigabytes", async () => {
    // 900 aliases (under the YAML parser's own alias cap) of one 5,000-item list: 4.5 million values.
    const anchored = Array.from({ length: 5_000 }, (_, i) => `  - v${i}`).join("\n");
    const aliases = Array.from({ length: 900 }, () => "  - *big").join("\n");
    const file = join(dir, "bomb.yaml");
    const head = 'openapi: 3.1.0\ninfo: {title: bomb, version: "1"}\npaths: {}\n';
    await writeFile(file, `${head}x-big: &big\n${anchored}\nx-many:\n${aliases}\n`);
    const error = await loadError(file);
    expect(error.message).toContain("YAML aliases expand the document beyond");
  });

  it("a few aliases are fine", async () => {
    const file = join(dir, "aliases.yaml");
    await writeFile(
      file,
      'openapi: 3.1.0\ninfo: {title: a, version: "1"}\nx-shared: &s {type: string}\nx-use: [*s, *s, *s]\npaths: {}\n',
    );
    expect((await loadSpec(file)).operations).toEqual([]);
  });

  it("a document over the size limit is refused before it is parsed", async () => {
    const error = await loadError(fixture("recursive.yaml"), { maxDocumentBytes: 100 });
    expect(error.message).toMatch(/the document is \d+ bytes, over the limit of 100 bytes/);
  });
});

describe("an alias bomb is refused before the YAML parser runs", () => {
  const head = 'openapi: 3.1.0\ninfo: {title: bomb, version: "1"}\npaths: {}\n';
  const list = (n: number, indent = "  ") =>
    Array.from({ length: n }, (_, i) => `${indent}- v${i}`).join("\n");
  const aliases = (n: number, name = "big") => Array.from({ length: n }, () => `  - *${name}`).join("\n");
  const laughs = ['x-l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  for (let i = 1; i <= 9; i++)
    laughs.push(
      `x-l${i}: &l${i} [${Array(10)
        .fill(`*l${i - 1}`)
        .join(", ")}]`,
    );

  it.each([
    // The parser takes seconds a megabyte here: 200,000 items (2.3 MB) × 900 aliases must never reach it.
    [
      "a 2.3 MB block list (200,000 items), 900 aliases",
      `${head}x-big: &big\n${list(200_000)}\nx-many:\n${aliases(900)}\n`,
    ],
    [
      "the same list at the key's own indentation",
      `${head}x-big: &big\n${list(200_000, "")}\nx-many:\n${aliases(900)}\n`,
    ],
    [
      "a flow list",
      `${head}x-big: &big [${Array.from({ length: 200_000 }, (_, i) => i % 10).join(", ")}]\nx-many: [${Array(900).fill("*big").join(", ")}]\n`,
    ],
    ["nested laughs (10^9 values from 1 KB)", `${head}${laughs.join("\n")}\n`],
  ])("%s", async (_shape, text) => {
    const file = join(dir, "bomb.yaml");
    await writeFile(file, text);
    const started = performance.now();
    const error = await loadError(file);
    const ms = performance.now() - started;
    expect(error.message).toContain("YAML aliases expand the document beyond");
    // Thrown by the pre-scan, so the parser never ran; the time is printed for the closing note.
    expect(error.message).toContain("estimated before parsing");
    console.log(`alias bomb (${_shape}, ${text.length} characters) refused in ${ms.toFixed(0)} ms`);
  });

  it("a large legitimate spec with anchors, aliases and markdown is not refused, and is scanned quickly", () => {
    const paths = Array.from(
      { length: 6_000 },
      (_, i) =>
        `  /items/${i}:\n    get:\n      description: "Lists *every* item & its parts; R&D, a*b and &amp; stay text"\n` +
        `      responses:\n        "200": *ok\n        "404": {description: not found}\n`,
    ).join("");
    const text =
      `${head.replace("paths: {}\n", "")}x-shared:\n  ok: &ok\n    description: fine\n    content:\n` +
      `      application/json:\n        schema: {type: object}\npaths:\n${paths}`;
    expect(text.length).toBeGreaterThan(1_000_000);
    const started = performance.now();
    expect(() => prescanAliases(text, "legit.yaml", DEFAULT_SPEC_LIMITS)).not.toThrow();
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it.each(PROVIDER_IDS)("the shipped %s spec passes the pre-scan", async (id) => {
    const text = await readFile(specPath(id), "utf8");
    expect(() => prescanAliases(text, id, DEFAULT_SPEC_LIMITS)).not.toThrow();
  });
});
