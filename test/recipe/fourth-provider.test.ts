import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { providerTable } from "../../src/cli/provider-help.js";
import { createEmulator, type Emulator } from "../../src/emulator/index.js";
import { PROVIDER_IDS } from "../../src/openapi/index.js";
import { ruleBroken, specifiers } from "../architecture/layers.js";
import { runCli } from "../cli/run-cli.js";
import { emulatorSuite } from "../emulator/shared-suite.js";
import { registerAcme } from "../fixtures/providers/acme/register.js";
import { contractSuite } from "../integration/contract-suite.js";

/**
 * The provider recipe holds: a fourth provider made of one fixture folder (spec, definition written
 * against the kit, its row for the tests) and one registry entry runs the suites every provider
 * runs, and the CLI serves it, with nothing else edited.
 */
const acme = registerAcme();
const folder = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "providers", "acme");

it("is in the registry after the shipped three", () => {
  expect(PROVIDER_IDS).toEqual(["cube", "explo", "toucan", "acme"]);
});

emulatorSuite([acme]);
contractSuite([acme]);

describe("the CLI serves it from the registry", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await createEmulator({ provider: acme });
    await emulator.listen(0);
  });
  afterAll(() => emulator.close());

  it("embedkit test acme passes against its emulator, with the dev credentials it declares", async () => {
    const run = await runCli("test", acme, "--target", emulator.url as string, "--seed", "7");
    expect(run.errText).toContain("using embedkit's dev credentials");
    expect(run.code, run.out).toBe(0);
  });

  it("embedkit mock --help lists it, its port, its variable and its note", async () => {
    const run = await runCli("mock", "--help");
    expect(run.out).toContain("[cube|explo|toucan|acme ...]");
    expect(run.out).toMatch(/acme\s+Acme \(test fixture\) on 4019/);
    expect(run.out).toContain("EMBEDKIT_ACME_API_KEY (the fixture's API key)");
    expect(run.out).toContain("acme is a test fixture");
  });

  it("the README table the registry makes has its row", async () => {
    expect(await providerTable()).toContainEqual(
      expect.stringMatching(/^\| Acme \(test fixture\) .*X-Acme-Key: ek_acme_fixture_key/),
    );
  });
});

it("its folder imports only the kit entry (as if it sat in src/emulator/providers/acme/)", () => {
  const broken = readdirSync(folder)
    .filter((f) => f === "index.ts")
    .flatMap((file) =>
      specifiers(readFileSync(join(folder, file), "utf8"))
        .filter((s) => s.startsWith("."))
        .map((s) => s.replace("../../../../src/", "../../../"))
        .map((s) => ruleBroken(`emulator/providers/acme/${file}`, join("emulator/providers/acme", s)))
        .filter(Boolean),
    );
  expect(broken).toEqual([]);
});
