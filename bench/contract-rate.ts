import { runContract } from "../src/contract/index.js";
import { createEmulator } from "../src/emulator/index.js";
import { PROVIDER_IDS, providerInfo, specPath } from "../src/openapi/index.js";
import type { ContractRate } from "./report.js";

/** The rate limit would turn a fast contract run into 429s: it is a provider rule, not engine cost. */
const NO_RATE_LIMIT = { rateLimit: { enabled: false } };

/**
 * Contract runs (every phase, every check) per provider against the emulator, in-process through
 * `fetch(request)` and over a real loopback socket: the default run (50 cases per operation and
 * phase, what `embedkit test` does, so start-up work such as compiling validators is in the
 * figure) and a run of 500 per phase, where the steady rate shows.
 */
export async function measureContract(smoke: boolean): Promise<ContractRate[]> {
  const rows: ContractRate[] = [];
  const sizes = smoke ? [2] : [50, 500];
  for (const provider of PROVIDER_IDS) {
    for (const [transport, maxCases] of (["in-process", "http"] as const).flatMap((t) =>
      sizes.map((n) => [t, n] as const),
    )) {
      const emulator = await createEmulator({ provider, config: NO_RATE_LIMIT });
      try {
        const listening = transport === "http" ? await emulator.listen(0) : undefined;
        const base = `http://127.0.0.1:${providerInfo(provider).defaultPort}${providerInfo(provider).basePath}`;
        const run = runContract({
          spec: specPath(provider),
          ...(listening
            ? { target: listening.url }
            : { fetch: (r: Request) => emulator.fetch(r), target: base }),
          auth: emulator.credentials.auth,
          tokenKeys: emulator.credentials.tokenKeys,
          seed: 1,
          maxCases,
        });
        const summary = await run.summary;
        rows.push({
          provider,
          transport,
          maxCases,
          cases: summary.cases,
          seconds: summary.durationMs / 1000,
          casesPerSecond: summary.casesPerSecond,
          failures: summary.failures.length,
        });
      } finally {
        await emulator.close();
      }
    }
  }
  return rows;
}
