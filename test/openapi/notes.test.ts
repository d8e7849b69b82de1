import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  loadSpec,
  NOTE_DEFINITIONS,
  noteProblems,
  PROVIDER_IDS,
  packageRoot,
  specPath,
} from "../../src/openapi/index.js";
import { runCli } from "../cli/run-cli.js";

const op = (notes: Record<string, unknown>, response: Record<string, unknown> = {}) => ({
  openapi: "3.1.0",
  info: { title: "t", version: "1" },
  paths: { "/x": { post: { ...notes, responses: { "200": { description: "ok", ...response } } } } },
});
const OP = "/paths/~1x/post";
const RESPONSE = `${OP}/responses/200`;

// given a document, want these problems (pointer → message fragment); [] means valid.
const TABLE: Array<[string, unknown, Array<[string, string]>]> = [
  ["a valid token note", op({}, { "x-embedkit-token": { pointer: "/token", format: "jws" } }), []],
  [
    "a misspelt property",
    op({}, { "x-embedkit-token": { pointr: "/token", format: "jws" } }),
    [
      [`${RESPONSE}/x-embedkit-token`, 'missing property "pointer"'],
      [`${RESPONSE}/x-embedkit-token/pointr`, 'unknown property "pointr" (did you mean "pointer"?)'],
    ],
  ],
  [
    "a wrong enum value",
    op({}, { "x-embedkit-token": { pointer: "/t", format: "jwt" } }),
    [[`${RESPONSE}/x-embedkit-token/format`, "must be equal to one of the allowed values: jws, jwe"]],
  ],
  [
    "an unknown note",
    op({ "x-embedkit-singel-use": { status: 401 } }),
    [
      [
        `${OP}/x-embedkit-singel-use`,
        "unknown note x-embedkit-singel-use (did you mean x-embedkit-single-use?)",
      ],
    ],
  ],
  [
    "a note in the wrong place",
    op({ "x-embedkit-token": { pointer: "/t", format: "jws" } }),
    [[`${OP}/x-embedkit-token`, "x-embedkit-token belongs on response, not here"]],
  ],
  [
    "a status out of range",
    op({ "x-embedkit-single-use": { status: 42 } }),
    [[`${OP}/x-embedkit-single-use/status`, "must be >= 100"]],
  ],
  [
    "a note inside an example is data, not a note",
    op({}, { content: { "application/json": { example: { "x-embedkit-anything": 1 } } } }),
    [],
  ],
];

describe("x-embedkit-* notes", () => {
  it.each(TABLE)("%s", (_name, doc, want) => {
    const got = noteProblems(doc).map((p) => [p.pointer, p.message]);
    expect(got).toHaveLength(want.length);
    want.forEach(([pointer, message], i) => {
      expect(got[i]?.[0]).toBe(pointer);
      expect(got[i]?.[1]).toContain(message);
    });
  });

  it("every note in the shipped specs is registered and valid", () => {
    const used = new Set<string>();
    for (const id of PROVIDER_IDS) {
      const text = readFileSync(specPath(id), "utf8");
      for (const m of text.matchAll(/(x-embedkit-[a-z-]+):/g)) used.add(m[1] as string);
      expect(noteProblems(parse(text))).toEqual([]);
    }
    const known = new Set(NOTE_DEFINITIONS.map((d) => d.key as string));
    expect([...used].filter((k) => !known.has(k))).toEqual([]);
  });

  it("loadSpec refuses a misspelt note with its pointer", async () => {
    const file = join(packageRoot(), "test", "fixtures", "lint", "bad-notes.yaml");
    await expect(loadSpec(file)).rejects.toThrow(/bad-notes\.yaml#\/info\/x-embedkit-sorces: unknown note/);
  });

  it("embedkit lint lists every bad note with its pointer and exits 1", async () => {
    const file = join(packageRoot(), "test", "fixtures", "lint", "bad-notes.yaml");
    const { code, out } = await runCli("lint", file);
    expect(code).toBe(1);
    for (const at of [
      "#/info/x-embedkit-sorces  note-valid  unknown note",
      "#/paths/~1sessions/post/x-embedkit-single-use/credntial  note-valid",
      "#/paths/~1sessions/post/responses/200/x-embedkit-token/pointr  note-valid",
    ])
      expect(out).toContain(at);
  });
});
