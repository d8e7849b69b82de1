import { EncryptJWT, generateKeyPair, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { createEmulator, type Emulator } from "../../src/emulator/index.js";
import { AUTH, call, control, manualClock, PATHS, VALID_BODY } from "../emulator/helpers.js";

/** Token verification pins its algorithms; every forged, stale or foreign token is refused with why. */
const CUBE_SECRET = "cube-dev-embed-secret-0123456789abcdef";
type Clock = ReturnType<typeof manualClock>;

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const parts = (token: string) => token.split(".") as [string, string, string];

async function cubeWithToken(): Promise<{
  emu: Emulator;
  clock: ReturnType<typeof manualClock>;
  token: string;
  sessionId: string;
}> {
  const clock = manualClock();
  const emu = await createEmulator({ provider: "cube", clock });
  const sessionId = (await call(emu, PATHS.cube.generate, VALID_BODY.cube, AUTH.cube)).body
    .sessionId as string;
  const token = (await call(emu, PATHS.cube.exchange, { sessionId })).body.token as string;
  return { emu, clock, token, sessionId };
}

const introspect = async (emu: Emulator, token: string) => (await control(emu, "introspect", { token })).body;

describe("Cube's JWS: the algorithm is pinned; bad tokens are refused with the reason", () => {
  const otherSecret = new TextEncoder().encode("some-other-tenant-secret-0123456789");
  const forge: [
    string,
    string,
    (t: string, e: Emulator, c: ReturnType<typeof manualClock>, sid: string) => Promise<string>,
  ][] = [
    [
      "alg none, no signature",
      "tampered",
      async (t) => `${b64({ alg: "none", typ: "JWT" })}.${parts(t)[1]}.`,
    ],
    [
      "alg none, signature kept",
      "tampered",
      async (t) => `${b64({ alg: "none" })}.${parts(t)[1]}.${parts(t)[2]}`,
    ],
    ["alg NONE in capitals", "tampered", async (t) => `${b64({ alg: "NONE" })}.${parts(t)[1]}.`],
    [
      "HS512 with the real secret",
      "tampered",
      (t) => resign(t, "HS512", new TextEncoder().encode(CUBE_SECRET)),
    ],
    [
      "RS256 with an attacker's key",
      "tampered",
      async (t) => resign(t, "RS256", (await generateKeyPair("RS256")).privateKey),
    ],
    [
      "ES256 with an attacker's key",
      "tampered",
      async (t) => resign(t, "ES256", (await generateKeyPair("ES256")).privateKey),
    ],
    [
      "payload edited, signature kept",
      "tampered",
      async (t) => `${parts(t)[0]}.${editPayload(t)}.${parts(t)[2]}`,
    ],
    ["signature edited", "tampered", async (t) => `${parts(t)[0]}.${parts(t)[1]}.${flip(parts(t)[2])}`],
    ["HS256 with another tenant's secret", "wrong-key", () => freshToken(otherSecret)],
    ["three garbage segments", "malformed", async () => "abc.def.ghi"],
    ["two segments", "malformed", async (t) => `${parts(t)[0]}.${parts(t)[1]}`],
    [
      "expired",
      "expired",
      async (t, _e, clock) => {
        clock.advance(86_401);
        return t;
      },
    ],
    [
      "revoked",
      "revoked",
      async (t, e, _c, sid) => {
        await call(e, PATHS.cube.revoke, { sessionId: sid }, AUTH.cube);
        return t;
      },
    ],
  ];

  it("accepts the token it minted", async () => {
    const { emu, token } = await cubeWithToken();
    expect(await introspect(emu, token)).toMatchObject({ valid: true, header: { alg: "HS256" } });
    // And the admin endpoints know it for an embed token: 403, not 401.
    expect(
      (await call(emu, PATHS.cube.generate, VALID_BODY.cube, { authorization: `Bearer ${token}` })).status,
    ).toBe(403);
  });

  it.each(forge)("%s → refused as %s, and no use as a credential", async (_name, reason, make) => {
    const { emu, clock, token, sessionId } = await cubeWithToken();
    const forged = await make(token, emu, clock, sessionId);
    expect(await introspect(emu, forged)).toMatchObject({ valid: false, reason });
    const asAdmin = await call(emu, PATHS.cube.generate, VALID_BODY.cube, {
      authorization: `Bearer ${forged}`,
    });
    expect(asAdmin.status).toBe(401);
  });
});

async function resign(token: string, alg: string, key: Parameters<SignJWT["sign"]>[0]): Promise<string> {
  const payload = JSON.parse(Buffer.from(parts(token)[1], "base64url").toString()) as Record<string, unknown>;
  return new SignJWT(payload).setProtectedHeader({ alg, typ: "JWT" }).sign(key);
}

function editPayload(token: string): string {
  const payload = JSON.parse(Buffer.from(parts(token)[1], "base64url").toString()) as Record<string, unknown>;
  return b64({ ...payload, externalId: "someone-else@example.com" });
}

/** Changes the first character: the last one may only carry padding bits and decode to the same bytes. */
const flip = (segment: string) => `${segment.startsWith("A") ? "B" : "A"}${segment.slice(1)}`;

function freshToken(secret: Uint8Array): Promise<string> {
  const now = Math.floor(manualClock().now() / 1000);
  return new SignJWT({ externalId: "x", jti: "f".repeat(32) })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer("cubecloud")
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(secret);
}

/** The JWE providers' tokens: `dir` + `A256GCM` and nothing else, one key per kid. */
const JWE = {
  explo: { kid: "aa111111-1a11-111a-aa11-1aaaa11a1a11", lifetime: 86_400, field: "jwt" },
  toucan: { kid: "dev", lifetime: 3_600, field: "token" },
} as const;

const withHeader = (token: string, header: Record<string, unknown>) =>
  [b64(header), ...token.split(".").slice(1)].join(".");
const segment = (token: string, i: number, edit: (s: string) => string) =>
  token
    .split(".")
    .map((s, j) => (j === i ? edit(s) : s))
    .join(".");

function foreignJwe(kid: string): Promise<string> {
  const now = Math.floor(manualClock().now() / 1000);
  return new EncryptJWT({ sub: "x", iat: now, exp: now + 600 })
    .setProtectedHeader({ alg: "dir", enc: "A256GCM", kid })
    .encrypt(new TextEncoder().encode("an-attacker-chose-this-32-bytes!"));
}

describe.each(["explo", "toucan"] as const)(
  "%s's JWE: algorithms pinned, bad tokens refused with the reason",
  (provider) => {
    const { kid, lifetime, field } = JWE[provider];
    const forge: [string, string, (t: string, c: Clock) => Promise<string> | string][] = [
      ["alg none", "tampered", (t) => withHeader(t, { alg: "none", enc: "A256GCM", kid })],
      ["alg A256KW", "tampered", (t) => withHeader(t, { alg: "A256KW", enc: "A256GCM", kid })],
      ["alg RSA-OAEP", "tampered", (t) => withHeader(t, { alg: "RSA-OAEP", enc: "A256GCM", kid })],
      ["enc A128GCM", "tampered", (t) => withHeader(t, { alg: "dir", enc: "A128GCM", kid })],
      ["enc A256CBC-HS512", "tampered", (t) => withHeader(t, { alg: "dir", enc: "A256CBC-HS512", kid })],
      ["ciphertext edited", "tampered", (t) => segment(t, 3, flip)],
      ["tag edited", "tampered", (t) => segment(t, 4, flip)],
      ["encrypted with another key", "wrong-key", () => foreignJwe(kid)],
      ["an unknown kid", "wrong-key", () => foreignJwe("no-such-kid")],
      ["four segments", "malformed", (t) => t.split(".").slice(0, 4).join(".")],
      [
        "expired",
        "expired",
        (t, clock) => {
          clock.advance(lifetime + 1);
          return t;
        },
      ],
    ];

    it.each(forge)("%s → refused as %s", async (_name, reason, make) => {
      const clock = manualClock();
      const emu = await createEmulator({ provider, clock });
      const minted = await call(emu, PATHS[provider].generate, VALID_BODY[provider], AUTH[provider]);
      const token = minted.body[field] as string;
      expect(await introspect(emu, token)).toMatchObject({
        valid: true,
        header: { alg: "dir", enc: "A256GCM" },
      });
      expect(await introspect(emu, await make(token, clock))).toMatchObject({ valid: false, reason });
    });
  },
);
