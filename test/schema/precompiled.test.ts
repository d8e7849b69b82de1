import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSpec, PROVIDER_IDS, packageRoot, type SpecModel, specPath } from "../../src/openapi/index.js";
import { SchemaEngine, type Validator } from "../../src/schema/index.js";

/**
 * The build writes request validators as code (scripts/precompile-validators.mjs); the emulator
 * runs those from dist/. They must answer exactly as validators compiled at run time.
 */
const dir = mkdtempSync(join(tmpdir(), "embedkit-precompiled-"));
const models: SpecModel[] = [];

beforeAll(async () => {
  for (const id of PROVIDER_IDS) models.push(await loadSpec(specPath(id)));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bodies: unknown[] = [
  { deploymentId: 32, externalId: "a@b.c", userAttributes: [{ name: "x", value: [] }] },
  { deploymentId: "x", userAttributes: [{ value: [true] }], userProfile: { picture: "ftp://x" } },
  { provided_id: "c", embed_id: "d", expiration: "tomorrow", rb_allowed_features: ["nope"] },
  { provided_id: "", embed_id: "d", embed_origin: "not a uri" },
  { user: { distinctId: "u", role: "explorer", attributes: {} }, permissions: { ai: { can_query: "yes" } } },
  { user: { role: 1 } },
  { sessionId: "3f9a1c0e5b7d4a2f8e6c1b0a9d8e7f6a" },
  null,
  [],
];

describe("precompiled validators", () => {
  it.each(PROVIDER_IDS.map((id, i) => [id, i] as const))(
    "%s: same problems as run-time compiled ones",
    async (_id, i) => {
      const model = models[i] as SpecModel;
      const pointers = model.operations.flatMap(
        (op) => op.requestBody?.content["application/json"]?.schemaPointer ?? [],
      );
      const builder = new SchemaEngine(model.document, {
        id: "build",
        standalone: { formatsExpression: "embedkitFormats" },
      });
      const formats = pathToFileURL(join(packageRoot(), "src", "schema", "formats.ts")).href;
      const file = join(dir, `${model.contentKey}.mjs`);
      writeFileSync(
        file,
        builder.standaloneModule(pointers, formats, pathToFileURL(join(packageRoot(), "package.json")).href),
      );
      const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown> & {
        POINTERS: string[];
      };
      const precompiled = Object.fromEntries(mod.POINTERS.map((p, n) => [p, mod[`v${n}`]]));

      const fast = new SchemaEngine(model.document, { id: "fast", precompiled });
      const slow = new SchemaEngine(model.document, { id: "slow" });
      expect(pointers.length).toBeGreaterThan(0);
      for (const pointer of pointers) {
        // schemaPath names the document differently in each; everything a user sees must match.
        const seen = (v: Validator, body: unknown) => v(body).map(({ schemaPath: _, ...rest }) => rest);
        for (const body of bodies)
          expect(seen(fast.compile(pointer), body)).toEqual(seen(slow.compile(pointer), body));
      }
    },
  );
});
