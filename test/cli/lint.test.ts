import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../../src/openapi/index.js";
import { runCli } from "./run-cli.js";

async function run(...argv: string[]) {
  const { code, out, errText } = await runCli(...argv);
  return { code, out, err: errText };
}

describe("embedkit lint", () => {
  it("passes the shipped specs", async () => {
    const { code, out } = await run("lint");
    expect(out).toContain("3 spec(s): 0 error(s), 0 warning(s)");
    expect(code).toBe(0);
  });

  it("fails on an example that breaks its schema, naming the file, the pointer and the problem", async () => {
    const file = join("test", "fixtures", "lint", "bad-example.yaml");
    const { code, out } = await run("lint", join(packageRoot(), file));
    expect(code).toBe(1);
    expect(out).toContain(
      'bad-example.yaml#/paths/~1sessions/post/requestBody/content/application~1json/examples/wrong/value  example-valid  example "wrong" of createSession: body.deploymentId: must be number',
    );
    expect(out).toContain(
      "examples/missingField/value  example-valid  example \"missingField\" of createSession: response 200 body: must have required property 'sessionId'",
    );
  });

  it("reports a file that cannot be read as a problem, not a crash", async () => {
    const { code, out } = await run("lint", "no/such.yaml");
    expect(code).toBe(1);
    expect(out).toContain("no/such.yaml#  spec-load  no such file");
  });

  it("refuses an unknown flag with exit 2", async () => {
    const { code, err } = await run("lint", "--frobnicate");
    expect(code).toBe(2);
    expect(err).toContain("embedkit lint: Unknown option '--frobnicate'");
  });
});

describe("a spec error is the user's input, not a crash", () => {
  it("embedkit test with a spec whose schema cannot compile exits 2 with one line", async () => {
    const server = createServer((_req, res) => res.end("{}"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const spec = join(packageRoot(), "test", "fixtures", "lint", "bad-schema.yaml");
      const { code, err } = await run("test", spec, "--target", `http://127.0.0.1:${port}`);
      expect(code).toBe(2);
      expect(err.split("\n")[0]).toMatch(/^embedkit test: .*cannot compile the schema/);
    } finally {
      server.close();
    }
  });
});
