import { describe, expect, it } from "vitest";
import { Journal } from "../../src/emulator/pipeline/journal.js";
import { Redactor } from "../../src/emulator/pipeline/redact.js";

const record = (body: string, bodyIsJson = true) => ({
  at: 0,
  method: "POST",
  path: "/api/v1/embed/generate-session",
  operationId: "generateSession",
  status: 400,
  durationMs: 1,
  remoteAddress: "127.0.0.1",
  headers: { "content-type": "application/json" },
  body,
  bodyIsJson,
  problems: [],
});

describe("journal", () => {
  it("keeps large JSON bodies outside the JS heap and gives them back parsed", () => {
    const journal = new Journal(1000, 64 * 1024 * 1024);
    const large = JSON.stringify({ padding: "z".repeat(15_000) });
    const before = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < 100; i++) journal.add(record(large));
    const grown = process.memoryUsage().arrayBuffers - before;
    expect(grown).toBeGreaterThan(100 * 15_000);
    journal.add(record('{"small":true}'));
    journal.add(record("[2000000 bytes, not kept]", false));
    const read = journal.read(new Redactor([]), 3);
    // Read back redacted, which clips long values.
    expect(read.map((r) => r.body)).toEqual([
      { padding: expect.stringMatching(/^z{100,}/) },
      { small: true },
      "[2000000 bytes, not kept]",
    ]);
  });
});
