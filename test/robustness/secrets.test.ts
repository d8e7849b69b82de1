import { describe, expect, it } from "vitest";
import { createEmulator } from "../../src/emulator/index.js";
import { PROVIDER_IDS, type ProviderId } from "../../src/openapi/index.js";
import { AUTH, type Call, call, PATHS, VALID_BODY } from "../emulator/helpers.js";

const CONTROL_TOKEN = "ctl-token-for-the-leak-test-0001";
const CUBE_SECRET = "cube-dev-embed-secret-0123456789abcdef";
/** Each provider's configured secrets (keys, embed secrets, key material): what it can know to hide. */
const SECRETS: Record<ProviderId, string[]> = {
  cube: ["ek_cube_admin_dev", "ek_cube_member_dev", "ek_cube_scoped_dev", CUBE_SECRET],
  explo: ["ek_explo_dev_token", "ek_explo_readonly_dev", "explo-dev-embed-secret-32-bytes!"],
  toucan: [
    "ek_toucan_dev_key",
    "ek_toucan_disabled_dev",
    Buffer.from("toucan-dev-key-material-32bytes!").toString("base64url"),
  ],
};

/** Requests that put secrets everywhere a careless server would echo, log or keep them. */
function hostileCalls(
  provider: ProviderId,
  own: string,
  token: string,
): [string, unknown, Record<string, string>][] {
  const path = PATHS[provider].generate;
  const auth = AUTH[provider];
  const [name, value] = Object.entries(auth)[0] as [string, string];
  const valid = VALID_BODY[provider];
  const wrongKeys = [`${own}x`, CUBE_SECRET, CONTROL_TOKEN, "ek_explo_dev_token", token];
  const planted: Record<ProviderId, Record<string, unknown>[]> = {
    cube: [{ branchName: own }, { email: CUBE_SECRET, externalId: "u1" }, { externalId: own }],
    explo: [{ key_id: own }, { expiration: own }, { embed_origin: own }],
    toucan: [{ user: { distinctId: own, role: CUBE_SECRET, attributes: { k: token } } }],
  };
  return [
    ...wrongKeys.map((k): [string, unknown, Record<string, string>] => [
      path,
      valid,
      { [name]: value.replace(own, k) },
    ]),
    ...planted[provider].map((extra): [string, unknown, Record<string, string>] => [
      path,
      { ...valid, ...extra },
      auth,
    ]),
    [
      path,
      { ...valid, note: own, token },
      { ...auth, "x-debug": own, "user-agent": token, "x-embedkit-control-token": CONTROL_TOKEN },
    ],
    [path, `{"broken": "${own}"`, auth],
    [`${path}?api_key=${own}&token=${token}`, valid, auth],
    [`/nope/${own}`, valid, auth],
    ["/__embedkit/state", undefined, { "x-embedkit-control-token": `${CONTROL_TOKEN}x` }],
  ];
}

describe.each(PROVIDER_IDS)("%s never shows a secret", (provider) => {
  it("in logs, the journal, state or any error message after a mixed run", async () => {
    const lines: string[] = [];
    const emu = await createEmulator({
      provider,
      config: { controlToken: CONTROL_TOKEN, rateLimit: { enabled: false, requests: 1, windowSeconds: 1 } },
      logger: { enabled: () => true, log: (l, m, f) => lines.push(`${l} ${m} ${JSON.stringify(f)}`) },
    });
    const own = (Object.values(AUTH[provider])[0] as string).split(" ").pop() as string;
    const answers: Call[] = [];
    const minted = await call(emu, PATHS[provider].generate, VALID_BODY[provider], AUTH[provider]);
    let token = (minted.body.jwt ?? minted.body.token) as string;
    if (provider === "cube") {
      const sessionId = minted.body.sessionId as string;
      token = (await call(emu, PATHS.cube.exchange, { sessionId })).body.token as string;
      answers.push(await call(emu, PATHS.cube.exchange, { sessionId }));
      answers.push(
        await call(
          emu,
          PATHS.cube.generate,
          { deploymentId: 32, externalId: "user@example.com" },
          { authorization: `Bearer ${token}` },
        ),
      );
      answers.push(await call(emu, PATHS.cube.revoke, { sessionId }, AUTH.cube));
      answers.push(await call(emu, PATHS.cube.exchange, { sessionId, pad: sessionId }));
    }
    expect(token).toMatch(/^eyJ/);
    for (const [path, body, headers] of hostileCalls(provider, own, token)) {
      answers.push(await call(emu, path, body, headers, body === undefined ? "GET" : "POST"));
    }
    const controlHeaders = { "x-embedkit-control-token": CONTROL_TOKEN };
    const seen = [
      lines.join("\n"),
      (await call(emu, "/__embedkit/requests", undefined, controlHeaders, "GET")).text,
      (await call(emu, "/__embedkit/state", undefined, controlHeaders, "GET")).text,
      ...answers.filter((a) => a.status >= 400).map((a) => a.text),
    ].join("\n");
    expect(answers.some((a) => a.status >= 400)).toBe(true);
    expect(seen).toContain(PATHS[provider].generate);
    for (const secret of [...SECRETS[provider], CONTROL_TOKEN, token]) {
      const at = seen.indexOf(secret);
      expect(at, `${secret} in ${JSON.stringify(seen.slice(Math.max(0, at - 300), at + 100))}`).toBe(-1);
    }
    if (provider === "cube") expect(seen).not.toContain(minted.body.sessionId);
  });
});

describe("Cube session ids", () => {
  it("10,000 through the API: all distinct, all 32 lower-case hex", async () => {
    const emu = await createEmulator({ provider: "cube" });
    const ids = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const { body } = await call(
        emu,
        PATHS.cube.generate,
        { deploymentId: 32, externalId: "user@example.com" },
        AUTH.cube,
      );
      expect(body.sessionId).toMatch(/^[0-9a-f]{32}$/);
      ids.add(body.sessionId as string);
    }
    expect(ids.size).toBe(10_000);
  }, 120_000); // 10,000 requests: a budget for a loaded 2-core machine, not a speed claim
});
