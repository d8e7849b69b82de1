// Runs last in `npm run build`: bundles the compiled CLI into dist/bundle/ with esbuild.
// Why: `embedkit mock` must answer within 200 ms of being started. Resolving and loading the ~150
// small modules of ajv, jose and our own layers one by one costs Node more than that budget's
// share; one bundle per lazily loaded command (code splitting keeps `mock` from loading the
// contract engine or the YAML parser) loads in a fraction of the time.
import { build } from "esbuild";

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
  // CommonJS dependencies (ajv) call require() for Node built-ins; give the ESM bundle one.
  banner: {
    js: "import { createRequire as __embedkitRequire } from 'node:module'; const require = __embedkitRequire(import.meta.url);",
  },
  logLevel: "warning",
});
