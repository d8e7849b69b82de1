import { describe, expect, it } from "vitest";
import { createEmulator, loadProvider } from "../../src/emulator/index.js";
import { REDACTED, Redactor } from "../../src/emulator/pipeline/redact.js";
import { PROVIDER_IDS } from "../../src/openapi/index.js";
import { call, control } from "./helpers.js";

describe("redaction rules: shared ones, plus what a provider declares", () => {
  const rules = { headers: ["Vendor-Authorization"], values: [/^[0-9a-f]{32}$/] };
  it.each([
    ["a shared header", new Redactor([]), { authorization: "Api-Key plain" }, REDACTED],
    ["the control token header", new Redactor([]), { "x-embedkit-control-token": "plain" }, REDACTED],
    ["a declared header (any case)", new Redactor([], rules), { "vendor-authorization": "plain" }, REDACTED],
    ["that header, undeclared", new Redactor([]), { "vendor-authorization": "plain" }, "plain"],
  ])("%s", (_name, redactor, headers, expected) => {
    expect(Object.values(redactor.headers(headers))[0]).toBe(expected);
  });

  const sid = "0123456789abcdef0123456789abcdef";
  it.each([
    ["a JWS/JWE value, always", new Redactor([]), "eyJhbGciOiJIUzI1NiJ9.e30.sig", REDACTED],
    ["a declared value shape", new Redactor([], rules), sid, REDACTED],
    ["that shape, undeclared", new Redactor([]), sid, sid],
  ])("%s", (_name, redactor, value, expected) => {
    expect(redactor.value({ id: value })).toEqual({ id: expected });
  });
});

describe.each(PROVIDER_IDS)("%s: the headers it declares secret never reach the journal", (provider) => {
  it("each is journaled as [redacted]", async () => {
    const definition = await loadProvider(provider);
    const headers = definition.redaction?.headers ?? [];
    const emu = await createEmulator({ provider });
    const planted = Object.fromEntries(headers.map((h) => [h, `plain-${h}`]));
    await call(emu, "/nowhere", {}, planted);
    const { requests } = (await control(emu, "requests")).body as { requests: { headers: object }[] };
    const journaled = requests.at(-1)?.headers as Record<string, string>;
    for (const h of headers) expect(journaled[h.toLowerCase()]).toBe(REDACTED);
    await emu.close();
  });
});
