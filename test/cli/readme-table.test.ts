import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { providerTable } from "../../src/cli/provider-help.js";
import { packageRoot } from "../../src/openapi/index.js";

/** The lines of the README's provider table: from its header row to the first line that is not a row. */
function readmeTable(readme: string): string[] {
  const lines = readme.split("\n");
  const start = lines.findIndex((l) => /^\|\s*provider\s*\|/.test(l));
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && !l.startsWith("|"));
  return lines.slice(start, end < 0 ? undefined : end);
}

describe("the README's provider table", () => {
  it("is the one the registry and the providers' dev credentials make (copy it from the message)", async () => {
    const expected = await providerTable();
    const actual = readmeTable(readFileSync(`${packageRoot()}/README.md`, "utf8"));
    expect(actual.join("\n"), `README.md's provider table must read:\n${expected.join("\n")}`).toBe(
      expected.join("\n"),
    );
  });

  it("a stale table is caught: a row missing, a port changed", async () => {
    const expected = await providerTable();
    const readme = (table: string[]) => `# x\n\n${table.join("\n")}\n\nmore\n`;
    expect(readmeTable(readme(expected))).toEqual(expected);
    expect(readmeTable(readme(expected.slice(0, -1)))).not.toEqual(expected);
    const moved = expected.map((l) => l.replace("4011", "4111"));
    expect(readmeTable(readme(moved))).not.toEqual(expected);
  });
});
