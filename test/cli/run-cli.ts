import { main } from "../../src/cli/main.js";
import { packageRoot } from "../../src/openapi/index.js";

/** Runs `embedkit <argv>` in-process from the package root, capturing what it prints. */
export async function runCli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: {},
    cwd: packageRoot(),
  });
  return { code, out: out.join("\n"), errLines: err, errText: err.join("\n") };
}
