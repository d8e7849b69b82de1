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
export async function measureMemory(sessions: number, users: number): Promise<MemoryResult> {
  const port = await freePort();
  const server = await startServer(
    process.execPath,
    [EMBEDKIT_CLI, "mock", "cube", "--port", String(port), "--quiet"],
    () => ok(`http://127.0.0.1:${port}/api/v1/embed/generate-session`, CUBE_AUTH, GENERATE_SESSION_BODY),
  );
  try {
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
    return { sessions, externalUsers: users, baselineRssMb, rssMb: rssMb(server.child.pid) };
  } finally {
    await server.stop();
  }
}
