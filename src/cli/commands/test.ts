import { createWriteStream, mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import {
  ALL_CHECKS,
  ContractOptionsError,
  consoleReporter,
  htmlReport,
  jsonReporter,
  junitReport,
  PHASES,
  runContract,
  SecretMask,
  type Summary,
  TargetUnreachableError,
} from "../../contract/index.js";
import type { Command, Io } from "../command.js";
import { EXIT, exitCodeOfRun } from "../exit-codes.js";
import { exampleTestCommand, providerChoices } from "../provider-help.js";
import { buildTestOptions, type TestCommandOptions } from "../test-options.js";

const help = async () => `usage: embedkit test <provider|path/to/spec.yaml> [--target <url>] [options]

Contract-tests a running service against a spec: examples, generated valid and one-defect invalid
requests, missing and wrong credentials, and stateful sequences from the spec's links. Valid
requests carry test data that can succeed (--data, then the spec's examples, then values from
earlier responses along the links; random values fill the rest), and the run fails when an
operation never succeeded. Every failure is printed with what was expected, what came back, and a
curl line that reproduces it. Given credentials and keys are masked in every output.

  ${await exampleTestCommand()}

options:
  --target <url>                 base URL, path prefix included (default for a provider: its local port)
  --auth [<scheme>=]<value>      credential sent as the header value; repeatable. The scheme name may
                                 be left out when the value can only mean one (Bearer …, the only
                                 apiKey scheme). env:NAME reads it from $NAME. Without --auth:
                                 $EMBEDKIT_AUTH_<SCHEME>, else for ${providerChoices().split("|").join(", ")}
                                 embedkit mock's dev credentials
  -H, --header "Name: value"     header for every request; a scheme's header counts as --auth
  --token-key <kid|name>=<key>   key to verify/decrypt issued tokens (by kid, or "default" for a
                                 token without one); hex:<hex>, base64:<b64>, base64url:<b64url>,
                                 text:<text>; unprefixed, 64 hex digits are a 32-byte key and
                                 anything else is the text itself (without --auth: the dev keys)
  --data <file.yaml>             test data: operationId (or "*") → field or /json/pointer → values
  --checks <id,...>              only these checks (default: all)
  --exclude-checks <id,...>      all but these checks
  --phases <p,...>               ${PHASES.join(",")} (default: all)
  --operation <operationId>      only this operation; repeatable
  --tag <tag>                    only operations with this tag; repeatable
  --path <glob>                  only operations whose path matches (\`*\` is any run of characters); repeatable
  --exclude-deprecated           leave out operations marked deprecated
  --shrink-time <ms>             time to shrink one failing generated case to its smallest form (default 2000, 0: off)
  --seed <n>                     replay the cases of an earlier run
  --max-cases <n>                cases per operation and phase (default 50)
  --concurrency <n>              requests in flight (default 8)
  --timeout <ms>                 per request (default 10000)
  --retry-wait <seconds>         longest Retry-After to wait for after a 429 (default 60; 0: never)
  --allow-remote-refs            fetch the spec's http(s) $refs (10 s and 16 MB each); offline otherwise
  --fail-fast                    stop at the first failure
  --report junit=<file>          JUnit XML, one testcase per operation × check (folders are created)
  --report json=<file>           NDJSON event stream (first line: seed and options; last: summary and coverage)
  --report html=<file>           one HTML page: coverage per operation (statuses, parameters, body fields) and failures
  --show-secrets                 print credentials and keys in clear (they are masked by default)
  -h, --help                     this text

checks:
${ALL_CHECKS.map((c) => `  ${c.id.padEnd(30)} ${c.description}`).join("\n")}

exit codes: 0 every check passed, 1 failures found, 2 bad usage, an unusable spec, an unreachable
target or a refused credential, 130 interrupted (Ctrl-C: the partial summary and reports are written)`;

function openReport(file: string | undefined) {
  if (!file) return undefined;
  mkdirSync(dirname(file), { recursive: true });
  return createWriteStream(file);
}

async function execute(options: TestCommandOptions, io: Io, mask: SecretMask): Promise<Summary> {
  const json = openReport(options.reports.json);
  const controller = new AbortController();
  let interrupts = 0;
  const off = io.onInterrupt?.(() => {
    // The first Ctrl-C finishes what is in flight and reports; a second one leaves at once.
    if (++interrupts > 1) process.exit(EXIT.interrupted);
    io.err("embedkit test: interrupted; finishing the cases in flight (Ctrl-C again to quit at once)");
    controller.abort();
  });
  const run = runContract({
    ...options.contract,
    signal: controller.signal,
    listeners: [
      consoleReporter(io.out, { mask }),
      ...(json ? [jsonReporter((line) => json.write(`${line}\n`), mask)] : []),
    ],
  });
  try {
    return await run.summary;
  } finally {
    off?.();
    if (json) await new Promise<void>((resolve) => json.end(resolve));
  }
}

export const testCommand: Command = {
  name: "test",
  summary: "contract-test any implementation against a provider's spec",
  help,
  async run(argv, io) {
    const options = await buildTestOptions(argv, io);
    const mask = new SecretMask(options.secrets);
    let summary: Summary;
    try {
      summary = await execute(options, io, mask);
    } catch (error) {
      if (error instanceof TargetUnreachableError || error instanceof ContractOptionsError) {
        io.err(mask.text(`embedkit test: ${error.message}`));
        return EXIT.usage;
      }
      throw error;
    }
    if (options.reports.junit) {
      mkdirSync(dirname(options.reports.junit), { recursive: true });
      writeFileSync(options.reports.junit, junitReport(summary, undefined, mask));
    }
    if (options.reports.html) {
      mkdirSync(dirname(options.reports.html), { recursive: true });
      writeFileSync(options.reports.html, htmlReport(summary, undefined, mask));
    }
    if (summary.stopped && summary.stopped.kind !== "fail-fast")
      io.err(mask.text(`embedkit test: ${summary.stopped.message}`));
    return exitCodeOfRun(summary);
  },
};
