import { describe, expect, it } from "vitest";
import { createEmulator } from "../../src/emulator/index.js";
import { clip } from "../../src/emulator/kit/clip.js";
import { Redactor } from "../../src/emulator/pipeline/redact.js";
import { call, control, PATHS } from "../emulator/helpers.js";

/**
 * Secrets the emulator did not create, planted where a caller can put them: in a header's name and
 * value, in echoed fields cut short in messages, with a quote that JSON escapes. No prefix of one
 * (six characters or more, raw or escaped) may show in answers, the journal, state or the log.
 */
const KEY = 'ck_"Live\\Secret_9f8e7d6c5b4a3210';
/** A configured secret that fits in a header name (a key may not: it has a quote). */
const EMBED = "custom-embed-secret-0a1b2c3d4e5f6a7b";
const ESCAPED = JSON.stringify(KEY).slice(1, -1);

/** The longest prefix (six characters or more) of the secret, raw or JSON-escaped, found in `text`. */
function leaks(text: string, secret: string): string | undefined {
  for (const form of [secret, JSON.stringify(secret).slice(1, -1)]) {
    for (let n = form.length; n >= 6; n--) if (text.includes(form.slice(0, n))) return form.slice(0, n);
  }
  return undefined;
}

describe("the redactor", () => {
  const redactor = new Redactor([KEY]);
  it.each([
    ["the raw secret", `key ${KEY} here`],
    ["its JSON-escaped form", `{"message":"key ${ESCAPED} here"}`],
    ["a prefix cut by clip()", clip(`${"b".repeat(95)}${KEY}`, 100)],
    ["an escaped prefix cut by clip()", clip(`${"b".repeat(95)}${ESCAPED}`, 100)],
  ])("hides %s", (_what, text) => {
    expect(leaks(redactor.text(text), KEY)).toBeUndefined();
  });

  it("redacts a header before it clips it, and its name too", () => {
    const out = redactor.headers({ "x-long": `${"a".repeat(250)}${KEY}`, [`x-${KEY}`]: "1" });
    expect(leaks(JSON.stringify(out), KEY)).toBeUndefined();
  });
});

describe("planted secrets on the wire never come back", () => {
  it("not in answers, the journal, state or the log", async () => {
    const lines: string[] = [];
    const emu = await createEmulator({
      provider: "cube",
      config: {
        apiKeys: [{ key: KEY, admin: true }],
        embedSecret: EMBED,
      },
      logger: {
        log: (level, message, fields) => lines.push(`${level} ${message} ${JSON.stringify(fields)}`),
      },
    });
    const auth = { authorization: `Api-Key ${KEY}`, [`x-${EMBED}`]: EMBED, "x-forwarded-key": KEY };
    const answers = [
      await call(emu, PATHS.cube.generate, { deploymentId: 32, branchName: `${"b".repeat(95)}${KEY}` }, auth),
      await call(emu, PATHS.cube.generate, { deploymentId: 32, externalId: KEY }, auth),
      await call(emu, `/api/v1/${"p".repeat(190)}${KEY}`, {}, auth),
      await call(
        emu,
        PATHS.cube.generate,
        { deploymentId: 32 },
        { ...auth, "content-type": `${"t".repeat(95)}${KEY}` },
      ),
      await call(
        emu,
        PATHS.cube.generate,
        { deploymentId: 32 },
        { ...auth, "user-agent": `${"u".repeat(250)}${EMBED}` },
      ),
    ];
    expect(answers[0]?.status).toBe(404);
    const seen = [
      ...answers.map((a) => `${JSON.stringify([...a.headers])}${a.text}`),
      (await control(emu, "requests")).text,
      (await control(emu, "state")).text,
      ...lines,
    ].join("\n");
    expect(leaks(seen, KEY)).toBeUndefined();
    expect(leaks(seen, EMBED)).toBeUndefined();
  });
});
