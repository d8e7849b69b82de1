import { createWriteStream, writeFileSync } from "node:fs";
import {
  ALL_CHECKS,
  ContractOptionsError,
  consoleReporter,
  jsonReporter,
  junitReport,
  PHASES,
  runContract,
  type Summary,
  TargetUnreachableError,
} from "../../contract/index.js";
import type { Command, Io } from "../command.js";
import { exampleTestCommand, providerChoices } from "../provider-help.js";
import { buildTestOptions, type TestCommandOptions } from "../test-options.js";

const help = async () => `usage: embedkit test <provider|path/to/spec.yaml> [--target <url>] [options]

Contract-tests a running service against a spec: examples, generated valid and one-defect invalid
requests, missing and wrong credentials, and stateful sequences from the spec's links. Every
failure is printed with what was expected, what came back, and a curl line that reproduces it.

  ${await exampleTestCommand()}

options:
  --target <url>                 base URL, path prefix included (default for a provider: its local port)
  --auth <scheme>=<value>        credential for a security scheme, sent as the header value; repeatable
                                 (for ${providerChoices().split("|").join(", ")} without --auth: embedkit mock's dev credentials)
  --token-key <kid|name>=<key>   key to verify/decrypt issued tokens (by kid, or "default" for a
                                 token without one); hex:<hex>, base64:<b64>, base64url:<b64url>,
                                 text:<text>; unprefixed, 64 hex digits are a 32-byte key and
                                 anything else is the text itself (without --auth: the dev keys)
  --checks <id,...>              only these checks (default: all)
  --phases <p,...>               ${PHASES.join(",")} (default: all)
  --operation <operationId>      only this operation; repeatable
  --seed <n>                     replay the cases of an earlier run
  --max-cases <n>                cases per operation and phase (default 50)
  --concurrency <n>              requests in flight (default 8)
  --timeout <ms>                 per request (default 10000)
  --report junit=<file>          JUnit XML, one testcase per operation × check
  --report json=<file>           NDJSON event stream (first line: seed and options)
  -h, --help                     this text

checks:
${ALL_CHECKS.map((c) => `  ${c.id.padEnd(30)} ${c.description}`).join("\n")}

exit codes: 0 every check passed, 1 failures found, 2 bad usage, unusable spec or unreachable target`;

async function execute(options: TestCommandOptions, io: Io): Promise<Summary> {
  const json = options.reports.json ? createWriteStream(options.reports.json) : undefined;
  const run = runContract({
    ...options.contract,
    listeners: [consoleReporter(io.out), ...(json ? [jsonReporter((line) => json.write(`${line}\n`))] : [])],
  });
  try {
    return await run.summary;
  } finally {
    if (json) await new Promise<void>((resolve) => json.end(resolve));
  }
}

export const testCommand: Command = {
  name: "test",
  summary: "contract-test any implementation against a provider's spec",
  help,
  async run(argv, io) {
    const options = await buildTestOptions(argv, io);
    let summary: Summary;
    try {
      summary = await execute(options, io);
    } catch (error) {
      if (error instanceof TargetUnreachableError || error instanceof ContractOptionsError) {
        io.err(`embedkit test: ${error.message}`);
        return 2;
      }
      throw error;
    }
    if (options.reports.junit) writeFileSync(options.reports.junit, junitReport(summary));
    return summary.failures.length > 0 ? 1 : 0;
  },
};
