/**
 * The soak's hostile traffic: what tried to exhaust the provider before it was bounded in bytes.
 * Each kind names the answers it may get; none of them may be a 5xx, and RSS must stay under the
 * state budget plus the baseline.
 */
import type autocannon from "autocannon";
import { CUBE_AUTH } from "./scenarios.js";

export type Template = { name: string; expect: number[] } & autocannon.Request;

const JSON_HEADERS = { "content-type": "application/json" };
const ADMIN = { ...JSON_HEADERS, ...CUBE_AUTH };
const GENERATE = "/api/v1/embed/generate-session";
const REVOKE = "/api/v1/embed/session/revoke";

const randomHex = () =>
  Array.from({ length: 32 }, () => "0123456789abcdef"[Math.floor(Math.random() * 16)]).join("");

/** ~1 MiB of claims: refused by the per-field limit (x-embedkit-limits), never kept. */
const HUGE_CLAIMS = JSON.stringify({
  deploymentId: 32,
  externalId: "huge@example.com",
  securityContext: { blob: "x".repeat(1_000_000) },
});
/** 60 KB of claims: allowed, so sessions fill the state budget until it answers 429. */
const LARGE_CLAIMS = (i: number) =>
  JSON.stringify({
    deploymentId: 32,
    externalId: `large-${i}@example.com`,
    securityContext: { blob: "y".repeat(60_000) },
  });
/** 15 KB bodies that fail validation: each is journaled (the journal is bounded by bytes). */
const JOURNAL_FLOOD = JSON.stringify({ deploymentId: "not a number", padding: "z".repeat(15_000) });

export const HOSTILE_TEMPLATES: Template[] = [
  { name: "1 MiB claims", expect: [400], method: "POST", path: GENERATE, headers: ADMIN, body: HUGE_CLAIMS },
  {
    name: "60 KB claims (fill the budget)",
    expect: [200, 429],
    method: "POST",
    path: GENERATE,
    headers: ADMIN,
    setupRequest: (req) => ({ ...req, body: LARGE_CLAIMS(Math.floor(Math.random() * 1e9)) }),
  },
  {
    name: "revoke flood (unknown ids)",
    expect: [204, 429],
    method: "POST",
    path: REVOKE,
    headers: ADMIN,
    setupRequest: (req) => ({ ...req, body: JSON.stringify({ sessionId: randomHex() }) }),
  },
  {
    name: "journal flood (15 KB invalid)",
    expect: [400],
    method: "POST",
    path: GENERATE,
    headers: ADMIN,
    body: JOURNAL_FLOOD,
  },
  { name: "control: GET state", expect: [200], method: "GET", path: "/__embedkit/state" },
  { name: "control: GET requests", expect: [200], method: "GET", path: "/__embedkit/requests?limit=20" },
  {
    name: "control: text/plain POST clock",
    expect: [415],
    method: "POST",
    path: "/__embedkit/clock",
    headers: { "content-type": "text/plain" },
    body: '{"advanceSeconds":1e300}',
  },
  {
    name: "control: foreign Origin POST faults",
    expect: [403],
    method: "POST",
    path: "/__embedkit/faults",
    headers: { ...JSON_HEADERS, origin: "http://evil.example" },
    body: '{"operationId":"generateSession","status":503}',
  },
  {
    name: "control: foreign Host",
    expect: [403],
    method: "GET",
    path: "/__embedkit/state",
    headers: { host: "evil.example" },
  },
];
