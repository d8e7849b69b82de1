import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { packageRoot } from "../../src/openapi/index.js";

const root = packageRoot();
const require = createRequire(import.meta.url);

/** Prism's own entry script, run with this Node so its pid is the server's pid. */
export function prismBin(): string {
  const manifest = require.resolve("@stoplight/prism-cli/package.json");
  return join(dirname(manifest), "dist", "index.js");
}

export type TargetName = "floor" | "embedkit" | "prism" | "prism-silent";

export interface Target {
  name: TargetName;
  label: string;
  command: string;
  args: (port: number) => string[];
  env?: Record<string, string>;
}

/** The built CLI, as a user runs it after `npm install` (the bench builds first). */
export const EMBEDKIT_CLI = join(root, "dist", "bundle", "main.js");

/**
 * A load run creates far more than the 250,000 live sessions `maxActiveSessions` allows by default
 * (that cap answered a third of a run with 429s); raised for the throughput runs only, and said so
 * in the results.
 */
export const LOAD_CUBE_CONFIG = { EMBEDKIT_CUBE_CONFIG: JSON.stringify({ maxActiveSessions: 5_000_000 }) };

/** embedkit with another store (and workers): `embedkit mock <provider> --store … [--workers N]`. */
export function embedkitWith(provider: string, label: string, mockArgs: string[]): Target {
  return {
    name: "embedkit",
    label,
    command: process.execPath,
    args: (port) => [EMBEDKIT_CLI, "mock", provider, "--port", String(port), "--quiet", ...mockArgs],
    env: LOAD_CUBE_CONFIG,
  };
}

export function targetsFor(
  provider: "cube" | "explo" | "toucan",
  extraMockArgs: string[] = [],
): Record<TargetName, Target> {
  const spec = join(root, "spec", `${provider}.yaml`);
  const prism = (silent: boolean) => (port: number) => [
    prismBin(),
    "mock",
    spec,
    "-h",
    "127.0.0.1",
    "-p",
    String(port),
    ...(silent ? ["-v", "silent"] : []),
  ];
  return {
    floor: {
      name: "floor",
      label: "node:http + ajv (floor)",
      command: process.execPath,
      args: (port) => [join(root, "bench", "floor-server.mjs"), String(port)],
    },
    embedkit: {
      name: "embedkit",
      label: "embedkit emulator",
      command: process.execPath,
      args: (port) => [EMBEDKIT_CLI, "mock", provider, "--port", String(port), "--quiet", ...extraMockArgs],
      env: LOAD_CUBE_CONFIG,
    },
    prism: {
      name: "prism",
      label: "Prism 5.14 (default logging)",
      command: process.execPath,
      args: prism(false),
    },
    "prism-silent": {
      name: "prism-silent",
      label: "Prism 5.14 (-v silent)",
      command: process.execPath,
      args: prism(true),
    },
  };
}
