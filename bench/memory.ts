import { Agent, request } from "node:http";
import { freePort, rssMb, startServer } from "./lib/process.js";
import { EMBEDKIT_CLI } from "./lib/targets.js";
import type { MemoryResult } from "./report.js";
import { CUBE_AUTH, GENERATE_SESSION_BODY, ok } from "./scenarios.js";

const CONCURRENCY = 50;

function post(port: number, agent: Agent, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        agent,
        method: "POST",
        path: "/api/v1/embed/generate-session",
        headers: { ...CUBE_AUTH, "content-type": "application/json" },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * Starts `embedkit mock cube` as a user would, fills it over HTTP (50 requests in flight, as in
 * the load runs) with `users` external users and `sessions` live sessions, and reads the server
 * process's resident memory: the figure a CI runner or a staging pod would see.
 */
export async function measureMemory(
  sessions: number,
  users: number,
  store: { label: string; args: string[]; liveBytes?: () => Promise<number> } = { label: "memory", args: [] },
): Promise<MemoryResult> {
  const port = await freePort();
  const server = await startServer(
    process.execPath,
    [EMBEDKIT_CLI, "mock", "cube", "--port", String(port), "--quiet", ...store.args],
    () => ok(`http://127.0.0.1:${port}/api/v1/embed/generate-session`, CUBE_AUTH, GENERATE_SESSION_BODY),
  );
  try {
    const before = (await store.liveBytes?.()) ?? 0;
    const baselineRssMb = rssMb(server.child.pid);
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    let next = 0;
    const worker = async () => {
      while (next < sessions) {
        const i = next++;
        // users - 1: the start-up probe already created one external user.
        const body = JSON.stringify({
          deploymentId: 32,
          externalId: `user-${i % (users - 1)}@example.com`,
          userAttributes: [{ name: "city", value: "Paris" }],
        });
        const status = await post(port, agent, body);
        if (status !== 200) throw new Error(`generate-session answered ${status} during the memory fill`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    agent.destroy();
    // Let the server settle (a scavenge or two) so the figure is what it holds, not what it was doing.
    await new Promise((r) => setTimeout(r, 1000));
    const live = store.liveBytes
      ? {
          liveStateBytes: (await store.liveBytes()) - before,
          liveStateHow: "Redis used_memory growth (INFO memory)",
        }
      : {
          liveStateBytes: estimateJsonBytes(sessions, users),
          liveStateHow: "JSON size of the records held (estimate)",
        };
    return {
      store: store.label,
      sessions,
      externalUsers: users,
      baselineRssMb,
      rssMb: rssMb(server.child.pid),
      ...live,
    };
  } finally {
    await server.stop();
  }
}

/** What the records the fill leaves behind weigh as JSON: the bytes of state, before any overhead. */
function estimateJsonBytes(sessions: number, users: number): number {
  const now = Date.now();
  const claims = {
    deploymentId: 32,
    externalId: "user-12345@example.com",
    userAttributes: [{ name: "city", value: "Paris" }],
  };
  const session = { id: "0".repeat(32), deploymentId: 32, createdAt: now, claims };
  const user = { externalId: claims.externalId, createdAt: now, lastSessionAt: now, sessions: 10 };
  return sessions * JSON.stringify(session).length + users * JSON.stringify(user).length;
}
