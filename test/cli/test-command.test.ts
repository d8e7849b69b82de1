import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Io } from "../../src/cli/command.js";
import { main } from "../../src/cli/main.js";
import { buildTestOptions } from "../../src/cli/test-options.js";
import { createEmulator } from "../../src/emulator/index.js";
import { specPath } from "../../src/openapi/index.js";
import { must } from "../contract/must.js";
import { brokenFixtures, faithfulFixtures, serveFetch } from "../fixtures/contract/index.js";

function capture(cwd = process.cwd()): Io & { out_: string[]; err_: string[] } {
  const out_: string[] = [];
  const err_: string[] = [];
  return { out: (l) => out_.push(l), err: (l) => err_.push(l), env: {}, cwd, out_, err_ };
}

const CUBE_AUTH = "--auth=apiKeyAuth=Api-Key ek_cube_admin_dev";
const served: Record<string, { url: string; close: () => Promise<void> }> = {};
const dir = mkdtempSync(join(tmpdir(), "embedkit-test-cmd-"));

beforeAll(async () => {
  served.faithful = await serveFetch(await faithfulFixtures.cube());
  const twice = must(brokenFixtures.find((b) => b.defect === "session exchangeable twice"));
  served.twice = await serveFetch(await twice.create());
});
afterAll(async () => {
  for (const s of Object.values(served)) await s.close();
});

describe("embedkit test", () => {
  it("exits 0 against a faithful service and prints the summary table", async () => {
    const io = capture();
    const code = await main(
      [
        "test",
        "cube",
        "--target",
        `${must(served.faithful).url}/api`,
        CUBE_AUTH,
        "--seed",
        "3",
        "--max-cases",
        "5",
      ],
      io,
    );
    expect(io.err_).toEqual([]);
    expect(io.out_.join("\n")).toContain("token-claims: needs --token-key to open the token");
    expect(code).toBe(0);
    expect(io.out_.join("\n")).toMatch(/generateSession\s+not-a-server-error\s+\d+\s+0/);
  });

  it("exits 1 on failures, prints a curl line, writes JUnit and NDJSON reports", async () => {
    const io = capture(dir);
    const code = await main(
      [
        "test",
        specPath("cube"),
        "--target",
        `${must(served.twice).url}/api`,
        CUBE_AUTH,
        "--phases",
        "stateful",
        "--report",
        "junit=out.xml",
        "--report",
        "json=out.ndjson",
        "--seed",
        "9",
      ],
      io,
    );
    expect(code).toBe(1);
    const text = io.out_.join("\n");
    expect(text).toContain("[single-use] postTokenBySessionId");
    expect(text).toMatch(/reproduce: curl -i -X POST '.*\/api\/v1\/embed\/session\/token'/);
    expect(readFileSync(join(dir, "out.xml"), "utf8")).toContain(
      '<testcase classname="postTokenBySessionId" name="single-use"',
    );
    const lines = readFileSync(join(dir, "out.ndjson"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ type: "run-started", seed: 9, phases: ["stateful"] });
    expect(lines.at(-1)).toMatchObject({ type: "run-finished" });
  });

  it("an unreachable target is one clear message and exit 2", async () => {
    const io = capture();
    const code = await main(["test", "cube", "--target", "http://127.0.0.1:9/api", CUBE_AUTH], io);
    expect(code).toBe(2);
    expect(io.err_).toHaveLength(1);
    expect(io.err_[0]).toMatch(/cannot reach http:\/\/127\.0\.0\.1:9\/api/);
  });

  it.each([
    [["test"], /name a provider/],
    [["test", "nope"], /neither a provider/],
    [["test", "cube", "--phases", "examples,bogus"], /--phases: unknown bogus/],
    [["test", "cube", "--checks", "nope"], /--checks: unknown nope/],
    [["test", "cube", "--operation", "nope"], /--operation: unknown nope/],
    [["test", "cube", "--auth", "nobody=x"], /no security scheme "nobody"/],
    [["test", "cube", "-H", "NoColon"], /-H\/--header takes "Name: value"/],
    [["test", "cube", "--max-case", "5"], /Unknown option '--max-case' \(did you mean --max-cases\?\)/],
    [["test", "cube", "--auth", "env:EMBEDKIT_NOT_SET"], /EMBEDKIT_NOT_SET is not set/],
    [["test", "cube", "--report", "xml=a"], /junit=<file>, json=<file> or html=<file>/],
    [["test", "cube", "--seed", "x"], /--seed must be a whole number/],
    [["test", "cube", "--target", "ftp://x"], /http\(s\) URL/],
    [["test", "cube", "--frobnicate"], /frobnicate/],
  ])("usage error %j → exit 2", async (argv, message) => {
    const io = capture();
    expect(await main(argv, io)).toBe(2);
    expect(io.err_.join("\n")).toMatch(message);
  });

  it("--help lists every check and the exit codes", async () => {
    const io = capture();
    expect(await main(["test", "--help"], io)).toBe(0);
    expect(io.out_.join("\n")).toContain("token-claims");
    expect(io.out_.join("\n")).toContain("exit codes: 0");
  });
});

describe("buildTestOptions", () => {
  it("resolves a provider to its spec and default local target, and parses repeatable pairs", async () => {
    const o = await buildTestOptions(
      [
        "explo",
        "--auth",
        "exploToken=Token a=b",
        "--token-key",
        "kid-1=hex:00",
        "--checks",
        "token-format,token-lifetime",
        "--operation",
        "generateJwt",
      ],
      capture(),
    );
    expect(o.provider).toBe("explo");
    expect(o.contract.target).toBe("http://127.0.0.1:4011");
    expect(o.contract.auth).toEqual({ exploToken: "Token a=b" });
    expect(o.contract.tokenKeys).toEqual({ "kid-1": "hex:00" });
    expect(o.contract.checks).toEqual(["token-format", "token-lifetime"]);
    expect(o.contract.operations).toEqual(["generateJwt"]);
  });

  it("cube's default target keeps the /api prefix", async () => {
    expect((await buildTestOptions(["cube"], capture())).contract.target).toBe("http://127.0.0.1:4010/api");
  });
});

describe("embedkit test <provider> against embedkit mock, as the README says", () => {
  it.each(["cube", "explo", "toucan"] as const)(
    "%s: no --auth needed, the dev credentials and token keys are used and everything passes",
    async (provider) => {
      const emulator = await createEmulator({ provider });
      const { url } = await emulator.listen(0);
      try {
        const io = capture();
        const code = await main(["test", provider, "--target", url, "--seed", "7"], io);
        expect(io.err_[0]).toMatch(/^using embedkit's dev credentials and token keys; pass --auth/);
        expect(code).toBe(0);
        expect(io.out_.join("\n")).toMatch(/token-claims/);
      } finally {
        await emulator.close();
      }
    },
  );

  // Cube's Embed-Token scheme is a second apiKey scheme on Authorization; a bare API key still
  // means the document's default scheme, and Embed-Token has to be named.
  it.each([
    [["--auth", "Api-Key k"], { apiKeyAuth: "Api-Key k" }],
    [["-H", "Authorization: Api-Key k"], { apiKeyAuth: "Api-Key k" }],
    [["--auth", "Bearer k"], { bearerAuth: "Bearer k" }],
    [["--auth", "embedTokenAuth=Embed-Token t"], { embedTokenAuth: "Embed-Token t" }],
  ])("cube %j credits %j", async (flags, auth) => {
    expect((await buildTestOptions(["cube", ...flags], capture())).contract.auth).toEqual(auth);
  });

  it("with --auth given, no dev token keys are assumed", async () => {
    const o = await buildTestOptions(["cube", CUBE_AUTH], capture());
    expect(o.contract.auth).toEqual({ apiKeyAuth: "Api-Key ek_cube_admin_dev" });
    expect(o.contract.tokenKeys).toEqual({});
  });
});
