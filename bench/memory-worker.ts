/**
 * Fills one Cube emulator with `users` external users and `sessions` live sessions through its own
 * API (in-process), then prints its memory as JSON. Run by bench/memory.ts in a process of its own.
 */
import { createEmulator } from "../src/emulator/index.js";

const sessions = Number(process.argv[2] ?? 100_000);
const users = Number(process.argv[3] ?? 10_000);
const gc = (globalThis as { gc?: () => void }).gc;
const mb = (bytes: number) => bytes / 1024 / 1024;

const emulator = await createEmulator({ provider: "cube" });
const auth = emulator.credentials.auth.apiKeyAuth ?? "";
gc?.();
const baselineRssMb = mb(process.memoryUsage().rss);

async function generate(i: number): Promise<void> {
  const res = await emulator.fetch(
    new Request("http://127.0.0.1:4010/api/v1/embed/generate-session", {
      method: "POST",
      headers: { authorization: auth, "content-type": "application/json" },
      body: JSON.stringify({
        deploymentId: 32,
        externalId: `user-${i % users}@example.com`,
        userAttributes: [{ name: "city", value: "Paris" }],
      }),
    }),
  );
  if (res.status !== 200) throw new Error(`generate-session answered ${res.status}: ${await res.text()}`);
  await res.arrayBuffer();
}

for (let i = 0; i < sessions; i += 500) {
  await Promise.all(Array.from({ length: Math.min(500, sessions - i) }, (_, j) => generate(i + j)));
}
gc?.();
const usage = process.memoryUsage();
console.log(
  JSON.stringify({
    sessions,
    externalUsers: users,
    baselineRssMb,
    rssMb: mb(usage.rss),
    heapUsedMb: mb(usage.heapUsed),
  }),
);
await emulator.close();
