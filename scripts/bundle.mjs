// Runs last in `npm run build`: bundles the compiled CLI into dist/bundle/ with esbuild.
// Why: `embedkit mock` must answer within 200 ms of being started. Resolving and loading the ~150
// small modules of ajv, jose and our own layers one by one costs Node more than that budget's
// share; one bundle per lazily loaded command (code splitting keeps `mock` from loading the
// contract engine or the YAML parser) loads in a fraction of the time.
import { rmSync } from "node:fs";
import { build } from "esbuild";

// esbuild never deletes: chunks of earlier builds would pile up beside the new ones.
rmSync("dist/bundle", { recursive: true, force: true });

await build({
  entryPoints: ["dist/src/cli/main.js"],
  outdir: "dist/bundle",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // Loaded only on demand, large, and fine as they are: left to Node's resolver.
  external: ["@redocly/openapi-core", "@stoplight/prism-cli", "openapi-typescript"],
  // CommonJS dependencies call require() for Node built-ins; give the ESM bundle one. Made on first
  // use: createRequire in every chunk at start-up cost ~10 ms, and most chunks never call it.
  banner: {
    js: "import { createRequire as __ekCreateRequire } from 'node:module'; let __ekRequire; const require = (id) => (__ekRequire ??= __ekCreateRequire(import.meta.url))(id);",
  },
  logLevel: "warning",
});
