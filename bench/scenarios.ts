import type { Scenario } from "./throughput.js";

/** Dev credentials of the emulator (printed by `embedkit mock`); Prism only checks the header is there. */
export const CUBE_AUTH = { authorization: "Api-Key ek_cube_admin_dev" };
export const EXPLO_AUTH = { "explo-authorization": "Token ek_explo_dev_token" };
export const TOUCAN_AUTH = { "x-api-key": "ek_toucan_dev_key" };

export const GENERATE_SESSION_BODY = JSON.stringify({
  deploymentId: 32,
  externalId: "bench-user@example.com",
});
export const GENERATE_JWT_BODY = JSON.stringify({
  provided_id: "customer_1",
  embed_id: "abcde",
  expiration: "PT1H",
});
export const GENERATE_TOKEN_BODY = JSON.stringify({
  user: { distinctId: "user-123", role: "explorer", attributes: { location: "Paris" } },
});

/** Prism serves the spec's paths as written; Cube's emulator serves them under the server's /api. */
export const cubePath = (path: string) => (target: { name: string }) =>
  target.name.startsWith("prism") ? path : `/api${path}`;

async function post(url: string, headers: Record<string, string>, body: string): Promise<Response> {
  return fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
}

export async function ok(url: string, headers: Record<string, string>, body: string): Promise<boolean> {
  const res = await post(url, headers, body);
  await res.arrayBuffer();
  return res.ok;
}

export function generateSession(connections: number, durationSeconds: number): Scenario {
  const path = cubePath("/v1/embed/generate-session");
  return {
    path,
    load: { connections, durationSeconds, headers: CUBE_AUTH, body: GENERATE_SESSION_BODY },
    probe: (base, target) => ok(base + path(target), CUBE_AUTH, GENERATE_SESSION_BODY),
  };
}

/**
 * Preparation outside the timed window, on a machine under load: a keep-alive socket the server
 * closed just as fetch reused it ("other side closed") is retried rather than ending the whole run.
 */
async function retried<T>(attempt: () => Promise<T>, tries = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (i >= tries) throw error;
    }
  }
}

/**
 * The exchange: every request needs a fresh session, so `amount` sessions are created before the
 * timed window (through the API, 64 at a time) and the load sends exactly that many exchanges.
 */
export function exchangeSession(connections: number, amount: number): Scenario {
  const path = cubePath("/v1/embed/session/token");
  const generate = cubePath("/v1/embed/generate-session");
  return {
    path,
    load: { connections, amount },
    probe: (base, target) => ok(base + generate(target), CUBE_AUTH, GENERATE_SESSION_BODY),
    async prepare(base, target) {
      const ids: string[] = [];
      while (ids.length < amount) {
        const batch = await Promise.all(
          Array.from({ length: Math.min(64, amount - ids.length) }, () =>
            retried(async () => {
              const res = await post(base + generate(target), CUBE_AUTH, GENERATE_SESSION_BODY);
              return ((await res.json()) as { sessionId: string }).sessionId;
            }),
          ),
        );
        ids.push(...batch);
      }
      let next = 0;
      return () => JSON.stringify({ sessionId: ids[next++ % ids.length] });
    },
  };
}

export function mint(
  path: string,
  headers: Record<string, string>,
  body: string,
  connections: number,
  durationSeconds: number,
): Scenario {
  return {
    path: () => path,
    load: { connections, durationSeconds, headers, body },
    probe: (base) => ok(base + path, headers, body),
  };
}
