import { execFile } from "node:child_process";
import { join } from "node:path";
import { packageRoot } from "../../src/openapi/index.js";

export interface BundleRun {
  code: number | null;
  out: string;
  err: string;
}

/**
 * Runs what ships, `node dist/bundle/main.js <argv>`, as a child process from the package root.
 * A run still going after `timeoutMs` is killed and resolves with code null: a hang is a failure.
 */
export function runBundle(argv: string[], timeoutMs = 30_000): Promise<BundleRun> {
  const main = join(packageRoot(), "dist", "bundle", "main.js");
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [main, ...argv],
      { cwd: packageRoot(), timeout: timeoutMs, env: { PATH: process.env.PATH ?? "" } },
      (error, stdout, stderr) => {
        const code = error ? (error.killed ? null : ((error as { code?: number }).code ?? 1)) : 0;
        resolve({ code: typeof code === "number" ? code : null, out: stdout, err: stderr });
      },
    );
  });
}
