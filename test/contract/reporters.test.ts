import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type ContractEvent,
  consoleReporter,
  curlOf,
  jsonReporter,
  junitReport,
  runContract,
} from "../../src/contract/index.js";
import { specPath } from "../../src/openapi/index.js";
import { brokenFixtures, FIXTURE_AUTH, FIXTURE_TOKEN_KEYS } from "../fixtures/contract/index.js";
import { must } from "./must.js";

interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

/** A strict little XML reader: balanced tags, quoted attributes, only the five entities. Throws otherwise. */
function parseXml(xml: string): XmlNode {
  const root: XmlNode = { name: "#document", attrs: {}, children: [], text: "" };
  const stack = [root];
  const body = xml.replace(/^<\?xml [^?]*\?>\s*/, "");
  for (const m of body.matchAll(/<[^>]*>|[^<]+/g)) {
    const token = m[0];
    const top = stack[stack.length - 1] as XmlNode;
    if (!token.startsWith("<")) {
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(token)) throw new Error(`bad entity in ${token}`);
      top.text += token;
    } else if (token.startsWith("</")) {
      if (token.slice(2, -1) !== top.name) throw new Error(`</${token.slice(2, -1)}> closes <${top.name}>`);
      stack.pop();
    } else {
      const tag = /^<([\w:-]+)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>$/.exec(token);
      if (!tag) throw new Error(`malformed tag ${token}`);
      const attrs = Object.fromEntries(
        [...(tag[2] ?? "").matchAll(/([\w:-]+)="([^"]*)"/g)].map((a) => [a[1], a[2]]),
      );
      const node: XmlNode = { name: tag[1] as string, attrs, children: [], text: "" };
      top.children.push(node);
      if (!tag[3]) stack.push(node);
    }
  }
  if (stack.length !== 1 || root.children.length !== 1) throw new Error("unbalanced document");
  return root.children[0] as XmlNode;
}

async function brokenRun(defectPrefix: string, seed: number) {
  const broken = must(brokenFixtures.find((b) => b.defect.startsWith(defectPrefix)));
  const events: ContractEvent[] = [];
  const lines: string[] = [];
  const console: string[] = [];
  const run = runContract({
    spec: specPath(broken.provider),
    fetch: await broken.create(),
    auth: { ...FIXTURE_AUTH[broken.provider] },
    tokenKeys: { ...FIXTURE_TOKEN_KEYS[broken.provider] },
    seed,
    maxCases: 10,
    listeners: [jsonReporter((l) => lines.push(l)), consoleReporter((l) => console.push(l))],
  });
  for await (const e of run.events) events.push(e);
  return { summary: await run.summary, events, lines, console };
}

describe("junit", () => {
  it("is well-formed JUnit XML with one testcase per operation × judging check and failures inside", async () => {
    const { summary } = await brokenRun("session exchangeable twice", 3);
    const suites = parseXml(junitReport(summary));
    expect(suites.name).toBe("testsuites");
    // One suite per operation of the spec.
    expect(suites.children.map((s) => s.name)).toEqual(Array(6).fill("testsuite"));
    let failures = 0;
    for (const suite of suites.children) {
      // One testcase per check that judged a response of the operation; none for checks that never applied.
      const judged = Object.entries(summary.table[suite.attrs.name ?? ""] ?? {}).filter(
        ([, t]) => t.passed + t.failed > 0,
      );
      expect(suite.children.map((tc) => tc.attrs.name).sort()).toEqual(judged.map(([c]) => c).sort());
      expect(Number(suite.attrs.tests)).toBe(suite.children.length);
      const failing = suite.children.filter((tc) => tc.children.some((c) => c.name === "failure"));
      expect(Number(suite.attrs.failures)).toBe(failing.length);
      for (const tc of suite.children) {
        expect(tc.name).toBe("testcase");
        expect(tc.attrs.classname).toBe(suite.attrs.name);
        expect(tc.children.filter((c) => c.name === "failure").length).toBeLessThanOrEqual(1);
      }
      failures += failing.length;
    }
    expect(Number(suites.attrs.failures)).toBe(failures);
    const singleUse = suites.children
      .flatMap((s) => s.children)
      .find((tc) => tc.attrs.name === "single-use" && tc.attrs.classname === "postTokenBySessionId");
    expect(singleUse?.children[0]?.name).toBe("failure");
    expect(singleUse?.children[0]?.text).toContain("curl -i -X POST");
  });

  it("escapes what XML cannot hold raw", () => {
    const xml = junitReport({
      seed: 1,
      baseUrl: "http://x",
      cases: 1,
      passedCases: 0,
      failedCases: 1,
      casesRun: 1,
      notExercised: [],
      retries: { count: 0, waitedMs: 0 },
      durationMs: 1,
      casesPerSecond: 1,
      notAuthenticated: 0,
      notes: [],
      table: { 'a<&>"b': { c: { passed: 0, failed: 1, skipped: 0 } } },
      failures: [
        {
          check: "c",
          severity: "low",
          message: "<&\u0001>",
          expected: "e",
          actual: "a",
          caseId: "x",
          operationId: 'a<&>"b',
          origin: { phase: "examples", detail: "d" },
          step: 0,
          request: { method: "POST", path: "/", headers: {}, body: "<x>&" },
        },
      ],
    });
    expect(() => parseXml(xml)).not.toThrow();
  });
});

describe("ndjson", () => {
  it("parses line by line; the first event carries the seed and options; same seed, same cases", async () => {
    const a = await brokenRun("token expiring", 42);
    const b = await brokenRun("token expiring", 42);
    const c = await brokenRun("token expiring", 43);
    const parsed = a.lines.map((l) => JSON.parse(l) as ContractEvent);
    const first = must(parsed[0]);
    expect(first).toMatchObject({ type: "run-started", seed: 42, maxCases: 10, authSchemes: ["apiKeyAuth"] });
    expect(JSON.stringify(first)).not.toContain("ek_cube_admin_dev");
    expect(parsed.at(-1)?.type).toBe("run-finished");
    expect(parsed).toEqual(a.events.map((e) => JSON.parse(JSON.stringify(e))));
    const cases = (events: ContractEvent[]) =>
      events
        .flatMap((e) =>
          e.type === "case-started" ? [`${e.caseId} ${e.origin.detail} ${JSON.stringify(e.request)}`] : [],
        )
        .sort();
    expect(cases(b.events)).toEqual(cases(a.events));
    expect(cases(c.events)).not.toEqual(cases(a.events));
  });
});

describe("console", () => {
  it("shows progress, the table, and each failure with expected, actual and a curl line that replays it", async () => {
    const { console, summary } = await brokenRun("token expiring", 5);
    const text = console.join("\n");
    expect(text).toMatch(/\d+\/\d+ cases run/);
    expect(text).toMatch(/postTokenBySessionId\s+token-lifetime\s+0\s+[1-9]/);
    expect(text).toContain("[token-lifetime] postTokenBySessionId");
    expect(text).toContain("expected: exp − iat = 86400 s");
    const f = must(summary.failures[0]);
    expect(text).toContain(curlOf(summary.baseUrl, f.request));
    expect(text).toContain(`--seed 5`);
  });
});

it("a report file can be written from the summary (json round trip)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "embedkit-rep-"));
  const { summary } = await brokenRun("wrong content", 1);
  const file = join(dir, "s.json");
  await import("node:fs").then((fs) => fs.writeFileSync(file, JSON.stringify(summary)));
  expect(JSON.parse(readFileSync(file, "utf8")).failures.length).toBe(summary.failures.length);
});
