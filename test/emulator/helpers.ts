import { createEmulator, type Emulator } from "../../src/emulator/index.js";
import type { ProviderId } from "../../src/openapi/index.js";

export const T0 = Date.parse("2026-03-01T12:00:00.000Z");

/** A clock the test moves by hand. */
export function manualClock(start = T0) {
  let now = start;
  return {
    now: () => now,
    advance: (seconds: number) => {
      now += seconds * 1000;
    },
  };
}

export const PATHS = {
  cube: {
    generate: "/api/v1/embed/generate-session",
    exchange: "/api/v1/embed/session/token",
    revoke: "/api/v1/embed/session/revoke",
  },
  explo: { generate: "/api/generate_jwt/" },
  toucan: { generate: "/embed/generate-token" },
} as const;

export const AUTH = {
  cube: { authorization: "Api-Key ek_cube_admin_dev" },
  explo: { "explo-authorization": "Token ek_explo_dev_token" },
  toucan: { "x-api-key": "ek_toucan_dev_key" },
} as const;

export const VALID_BODY = {
  cube: { deploymentId: 32, externalId: "user@example.com" },
  explo: { provided_id: "customer_1", embed_id: "abcde" },
  toucan: { user: { distinctId: "user-123", role: "explorer", attributes: {} } },
} as const;

export const GENERATE_PATH = {
  cube: PATHS.cube.generate,
  explo: PATHS.explo.generate,
  toucan: PATHS.toucan.generate,
};

export async function emulator(
  provider: ProviderId,
  config?: Record<string, unknown>,
  clock = manualClock(),
) {
  const emu = await createEmulator({ provider, clock, ...(config ? { config } : {}) });
  return { emu, clock };
}

export interface Call {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
  text: string;
}

/** POSTs through the in-process fetch; `body` as a string is sent as is. */
export async function call(
  emu: Emulator | { fetch: (r: Request) => Promise<Response> },
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  method = "POST",
): Promise<Call> {
  const init: RequestInit = { method, headers: { "content-type": "application/json", ...headers } };
  if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
  const res = await emu.fetch(new Request(`http://emulator.test${path}`, init));
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {}
  return { status: res.status, headers: res.headers, body: parsed, text };
}

export const control = (
  emu: Emulator,
  name: string,
  body?: unknown,
  method = body === undefined ? "GET" : "POST",
) => call(emu, `/__embedkit/${name}`, body, {}, method);

/** The error envelope each spec declares. */
export function isEnvelope(provider: ProviderId, body: Record<string, unknown>, status: number): boolean {
  if (provider === "cube") return body.statusCode === status && body.message !== undefined;
  if (provider === "explo") return body.success === 0 && typeof body.error === "string";
  return (
    typeof body.code === "string" && /^[A-Z][A-Z0-9_]*$/.test(body.code) && typeof body.message === "string"
  );
}
