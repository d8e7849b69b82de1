import { readdirSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../../openapi/index.js";
import { type Command, parseFlags } from "../command.js";
import { type LintProblem, lintSpecFile } from "../lint/lint-spec.js";

const HELP = `usage: embedkit lint [spec.yaml ...] [--warnings-as-errors] [--allow-remote-refs]

Lints OpenAPI specs with Redocly's recommended rules and validates every request and response
example against its schema with embedkit's schema engine. With no file, lints the specs embedkit ships.

Each problem is printed as  <file>#<json pointer>  <rule>  <message>.
A spec can allow a rule for itself, with a reason: x-embedkit-lint: {allow: [rule], why: "..."}.

options:
  --warnings-as-errors   exit 1 on warnings too
  --allow-remote-refs    fetch http(s) $refs (10 s and 16 MB each); without it specs are read offline
  -h, --help             this text

exit codes: 0 clean, 1 problems found, 2 bad usage`;

function format(p: LintProblem): string {
  return `${p.severity === "error" ? "error  " : "warning"} ${p.file}#${p.pointer}  ${p.rule}  ${p.message}`;
}

export const lintCommand: Command = {
  name: "lint",
  summary: "lint specs and validate their examples against their schemas",
  help: HELP,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, {
      "warnings-as-errors": { type: "boolean", default: false },
      "allow-remote-refs": { type: "boolean", default: false },
    });
    const limits = { allowRemoteRefs: values["allow-remote-refs"] };
    const files = positionals.length
      ? positionals
      : readdirSync(join(packageRoot(), "spec"))
          .filter((f) => f.endsWith(".yaml"))
          .sort()
          .map((f) => join("spec", f));
    let errors = 0;
    let warnings = 0;
    for (const file of files) {
      const problems = await lintSpecFile(positionals.length ? file : join(packageRoot(), file), limits);
      for (const p of problems) io.out(format({ ...p, file }));
      errors += problems.filter((p) => p.severity === "error").length;
      warnings += problems.filter((p) => p.severity === "warning").length;
      if (problems.length === 0) io.out(`ok      ${file}`);
    }
    io.out(`${files.length} spec(s): ${errors} error(s), ${warnings} warning(s)`);
    return errors > 0 || (values["warnings-as-errors"] && warnings > 0) ? 1 : 0;
  },
};
