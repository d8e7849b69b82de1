import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBundle } from "./run-bundle.js";

/**
 * `embedkit lint` and `embedkit test` on specs that reach out or loop, run as shipped: a remote
 * `$ref` to a host that never answers must not hang them, a circular `$ref` must not be a stack trace.
 */
let dir = "";
let server: Server;
let hits = 0;
let remoteSpec = "";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "embedkit-spec-input-"));
  server = createServer(() => {
    hits += 1; // accepts and never answers
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  remoteSpec = join(dir, "remote.yaml");
  await writeFile(
    remoteSpec,
    `openapi: 3.1.0
info: {title: remote, version: "1"}
paths:
  /a:
    post:
      operationId: a
      requestBody:
        content:
          application/json:
            schema: {$ref: "http://127.0.0.1:${port}/schemas.yaml#/A"}
      responses:
        "200": {description: ok}
`,
  );
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

const circular = join("test", "fixtures", "specs", "circular-external.yaml");

describe("specs that reach out or loop, through the shipped CLI", () => {
  it.each([
    [["lint", "REMOTE"], 1, "--allow-remote-refs"],
    [["test", "REMOTE", "--target", "http://127.0.0.1:9"], 2, "--allow-remote-refs"],
    [["lint", circular], 1, "./circular-other.yaml#/A → #/B → #/A never reaches"],
    [["test", circular, "--target", "http://127.0.0.1:9"], 2, "circular $ref"],
  ])("embedkit %j exits %i with a line naming %s", async (argv, code, text) => {
    const run = await runBundle(argv.map((a) => (a === "REMOTE" ? remoteSpec : a)));
    expect(run.code).toBe(code);
    expect(`${run.out}${run.err}`).toContain(text);
    expect(run.err).not.toMatch(/internal error|\n\s+at /);
    expect(hits).toBe(0);
  });
});
