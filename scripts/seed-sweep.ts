/**
 * `npm run sweep:seeds`: `embedkit test` over many seeds, for each provider, against a fresh
 * in-process emulator, to find the draws where the spec and the emulator disagree. The suite pins
 * its seeds so a CI verdict is about the code, not the draw; this is where the draws are explored.
 * A seed that fails is printed with its first failure and the command that replays it over HTTP.
 *
 *   npm run sweep:seeds -- --seeds 200 --from 1 --provider explo
 *
 * Exit 0 when every seed passed, 1 when one failed, 2 on a bad flag.
 */
import { parseArgs } from "node:util";
import { runContract } from "../src/contract/index.js";
import { createEmulator } from "../src/emulator/index.js";
import { PROVIDER_IDS, type ProviderId, providerInfo, specPath } from "../src/openapi/index.js";

const USAGE = `usage: npm run sweep:seeds -- [--seeds <n>] [--from <n>] [--provider <id>]... [--max-cases <n>]

  --seeds <n>        how many seeds per provider (default 100)
  --from <n>         the first seed (default 1)
  --provider <id>    only this provider; repeatable (default: ${PROVIDER_IDS.join(", ")})
  --max-cases <n>    cases per operation and phase, as embedkit test (default 50)
  -h, --help         this text
`;

function fail(message: string): never {
  process.stderr.write(`sweep:seeds: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function parse() {
  try {
    return parseArgs({
      options: {
        seeds: { type: "string", default: "100" },
        from: { type: "string", default: "1" },
        provider: { type: "string", multiple: true },
        "max-cases": { type: "string", default: "50" },
        help: { type: "boolean", short: "h", default: false },
      },
    }).values;
  } catch (e) {
    return fail((e as Error).message);
  }
}
const values = parse();
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const whole = (name: string, text: string, min: number) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min)
    fail(`--${name} must be a whole number of at least ${min}, got ${text}`);
  return n;
};
const seeds = whole("seeds", values.seeds, 1);
const from = whole("from", values.from, 0);
const maxCases = whole("max-cases", values["max-cases"], 1);
const providers = (values.provider ?? [...PROVIDER_IDS]) as ProviderId[];
for (const p of providers) {
  if (!PROVIDER_IDS.includes(p)) fail(`--provider: unknown ${p} (one of ${PROVIDER_IDS.join(", ")})`);
}

type Found = { provider: ProviderId; seed: number; count: number; first: string };
const found: Found[] = [];
const started = Date.now();
for (const provider of providers) {
  const providerStarted = Date.now();
  for (let seed = from; seed < from + seeds; seed++) {
    // A fresh emulator per seed, as a fresh `embedkit mock`: no state carried from one draw to the
    // next. Rate limits off: volume alone would trip Explo's 180 a minute.
    const emulator = await createEmulator({ provider, config: { rateLimit: { enabled: false } } });
    const summary = await runContract({
      spec: specPath(provider),
      fetch: (r: Request) => emulator.fetch(r),
      target: `http://emulator.test${providerInfo(provider).basePath}`,
      auth: emulator.credentials.auth,
      tokenKeys: emulator.credentials.tokenKeys,
      seed,
      maxCases,
    }).summary;
    await emulator.close();
    const [first] = summary.failures;
    if (first) {
      const line = `[${first.check}] ${first.operationId} (${first.caseId}): ${first.message}; got ${first.actual.slice(0, 200)}`;
      found.push({ provider, seed, count: summary.failures.length, first: line });
      process.stdout.write(
        `FAIL ${provider} seed ${seed}: ${summary.failures.length} failure(s)\n  ${line}\n`,
      );
      process.stdout.write(
        `  replay: embedkit mock ${provider} & embedkit test ${provider} --seed ${seed}\n`,
      );
    }
    const done = seed - from + 1;
    if (done % 25 === 0 || done === seeds) {
      const perSeed = Math.round((Date.now() - providerStarted) / done);
      process.stderr.write(`[sweep] ${provider}: ${done}/${seeds} seeds, ${perSeed} ms each\n`);
    }
  }
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
process.stdout.write(
  `${providers.length * seeds} runs (${providers.join(", ")}; seeds ${from}..${from + seeds - 1}) in ${seconds} s: ` +
    `${found.length === 0 ? "every seed passed" : `${found.length} seed(s) failed`}\n`,
);
process.exitCode = found.length === 0 ? 0 : 1;
