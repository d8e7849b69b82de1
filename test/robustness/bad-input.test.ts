import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.js";
import { PROVIDER_IDS, type ProviderId } from "../../src/openapi/index.js";
import { BODY_CLASSES, type Expectation, type FetchCase } from "./bad-bodies.js";
import { WIRE_CLASSES } from "./bad-wire.js";
import {
  type Judge,
  judgeFor,
  prototypeKeys,
  quietEmulator,
  rawRequest,
  Tally,
  type Target,
  within,
} from "./support.js";

/**
 * Every provider, every operation of its spec, every bad-input class: the answer is a 4xx in the
 * provider's declared envelope (judged by the spec's own schemas), never a 5xx, never a hang; the
 * server stays up, memory stays bounded and no prototype is polluted. Seeded, so a failure replays.
 */
const LIMIT = 256 * 1024;
const tally = new Tally();
const protoBefore = prototypeKeys();
const rssBefore = process.memoryUsage().rss;

afterAll(() => {
  console.log(`\nbad input, cases per class (all providers, all operations):\n${tally.table()}`);
});

interface Answer {
  status: number;
  text: string;
  contentType: string | undefined;
}

function judgeAnswer(judge: Judge, t: Target, expectation: Expectation, answer: Answer): void {
  const where = `${t.provider} ${t.operation.id}: ${answer.status} ${answer.text.slice(0, 200)}`;
  expect(answer.status, where).toBeLessThan(500);
  if (typeof expectation === "number") expect(answer.status, where).toBe(expectation);
  else if (expectation === "refused") expect(answer.status, where).toBeGreaterThanOrEqual(400);
  else expect(answer.status === 204 || answer.status === 200 || answer.status >= 400, where).toBe(true);
  // An answer to a hostile request stays small: no echo of a huge body, no list of 20,000 problems.
  expect(answer.text.length, where).toBeLessThan(16 * 1024);
  if (answer.status === 204) return;
  expect(answer.contentType, where).toMatch(/^application\/json/);
  expect(judge.problems(t.operation.id, answer.status, JSON.parse(answer.text)), where).toEqual([]);
}

async function viaFetch(emu: Emulator, t: Target, c: FetchCase): Promise<Answer> {
  const init: RequestInit = { method: c.method ?? t.method, headers: c.headers };
  if (c.body !== undefined) init.body = c.body;
  const res = await emu.fetch(new Request(`http://emulator.test${c.path ?? t.path}`, init));
  return {
    status: res.status,
    text: await res.text(),
    contentType: res.headers.get("content-type") ?? undefined,
  };
}

/** Counterexamples print their bytes as text, not as an array of numbers. */
const printable = <C extends { bytes: Buffer }>(c: C) =>
  Object.assign(c, {
    [fc.toStringMethod]: () => JSON.stringify({ ...c, bytes: c.bytes.toString("latin1").slice(0, 600) }),
  });

const SEED = { cube: 0xc0be, explo: 0xe0910, toucan: 0x70ca } as const;

describe.each(PROVIDER_IDS)("%s under bad input", (provider: ProviderId) => {
  let emu: Emulator;
  let judge: Judge;
  let port: number;

  beforeAll(async () => {
    emu = await quietEmulator(provider, { bodyLimitBytes: LIMIT });
    judge = await judgeFor(provider, emu);
    port = (await emu.listen(0)).port;
  });
  afterAll(() => emu.close());

  const targets = () => fc.constantFrom(...judge.targets);

  it.each(BODY_CLASSES.map((c) => [c.name, c] as const))("in-process: %s", async (name, badClass) => {
    await fc.assert(
      fc.asyncProperty(
        targets().chain((t) => badClass.arb(t, LIMIT).map((c) => [t, c] as const)),
        async ([t, c]) => {
          judgeAnswer(judge, t, c.expect, await within(viaFetch(emu, t, c), 10_000, name));
          tally.add(name);
        },
      ),
      { seed: SEED[provider], numRuns: badClass.runs },
    );
    expect((await emu.fetch(new Request("http://emulator.test/__embedkit/health"))).status).toBe(200);
  });

  it.each(WIRE_CLASSES.map((c) => [c.name, c] as const))("on the socket: %s", async (name, badClass) => {
    await fc.assert(
      fc.asyncProperty(
        targets().chain((t) => badClass.arb(t, LIMIT).map((c) => [t, printable(c)] as const)),
        async ([t, c]) => {
          const raw = await rawRequest(port, c.bytes, { halfClose: c.halfClose ?? false });
          judgeAnswer(judge, t, c.expect, {
            ...raw,
            text: raw.body,
            contentType: raw.headers["content-type"],
          });
          tally.add(name);
        },
      ),
      { seed: SEED[provider], numRuns: badClass.runs },
    );
    expect((await fetch(`http://127.0.0.1:${port}/__embedkit/health`)).status).toBe(200);
  });

  it("still serves a valid request, keeps its journal bounded and its state clean afterwards", async () => {
    const first = judge.targets[0] as Target;
    const ok = await fetch(`http://127.0.0.1:${port}${first.path}`, {
      method: first.method,
      headers: { "content-type": "application/json", ...first.auth },
      body: JSON.stringify(first.body),
    });
    expect(ok.status).toBe(200);
    const journal = await (await fetch(`http://127.0.0.1:${port}/__embedkit/requests`)).text();
    // 500 entries, each body and header bounded on the way in or on the way out.
    expect(journal.length).toBeLessThan(8 * 1024 * 1024);
    expect(JSON.parse(journal).requests.length).toBeGreaterThan(0);
  });
});

describe("after every provider's bad input", () => {
  it("left no prototype polluted", () => {
    expect(prototypeKeys()).toEqual(protoBefore);
    const probe = {} as Record<string, unknown>;
    expect([probe.polluted, probe.admin, [].constructor === Array]).toEqual([undefined, undefined, true]);
  });

  it("kept memory bounded", () => {
    const grownMb = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
    expect(grownMb).toBeLessThan(400);
  });
});
