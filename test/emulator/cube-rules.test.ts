import { Ajv2020 } from "ajv/dist/2020.js";
import { jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { loadSpec, specPath } from "../../src/openapi/index.js";
import { AUTH, call, control, emulator, isEnvelope, PATHS } from "./helpers.js";

/**
 * Cube's generate-session rules (generate-session.mdx at 005a1ee, providers.md §1.6): each case is
 * one request against the dev defaults, the status and the start of Cube's message it must get.
 */
const admin = AUTH.cube;
const user = { deploymentId: 32, externalId: "user@example.com" };
const creator = { ...user, creatorMode: true, embedTenantName: "acme-corp" };

type Case = [name: string, body: Record<string, unknown>, status: number, message?: string];

const RULES: Case[] = [
  ["known tenant-wide groups", { ...user, groups: ["analysts", "marketing"] }, 200],
  [
    "unknown group names",
    { ...user, groups: ["analysts", "finance", "ops"] },
    400,
    "Groups with names finance, ops not found",
  ],
  ["an empty group list clears memberships", { ...user, groups: [] }, 200],
  [
    "defined attributes of each type",
    {
      ...user,
      userAttributes: [
        { name: "city", value: "Paris" },
        { name: "tier", value: 2 },
        { name: "regions", value: ["us-east"] },
        { name: "thresholds", value: [10, 25] },
        { name: "department", value: null },
      ],
    },
    200,
  ],
  [
    "an undefined attribute",
    { ...user, userAttributes: [{ name: "region", value: "x" }] },
    400,
    "User attributes not found: region",
  ],
  [
    "a string for a number attribute",
    { ...user, userAttributes: [{ name: "tier", value: "2" }] },
    400,
    "User attribute tier must be a number value",
  ],
  [
    "numbers for a string_array attribute",
    { ...user, userAttributes: [{ name: "regions", value: [1] }] },
    400,
    "User attribute regions must be a string_array value",
  ],
  [
    "a string for a number_array attribute",
    { ...user, userAttributes: [{ name: "thresholds", value: "10" }] },
    400,
    "User attribute thresholds must be a number_array value",
  ],
  [
    "both externalId and internalId",
    { ...user, internalId: "jane" },
    400,
    "Provide either externalId or internalId, not both",
  ],
  ["neither externalId nor internalId", { deploymentId: 32 }, 200],
  ["internalId alone", { deploymentId: 32, internalId: "jane" }, 200],
  [
    "internalId with groups",
    { deploymentId: 32, internalId: "jane", groups: ["analysts"] },
    400,
    "groups not allowed with internalId",
  ],
  [
    "internalId with userAttributes and securityContext",
    { deploymentId: 32, internalId: "jane", userAttributes: [], securityContext: {} },
    400,
    "userAttributes, securityContext not allowed with internalId",
  ],
  [
    "internalId with userProfile",
    { deploymentId: 32, internalId: "jane", userProfile: { displayName: "J" } },
    400,
    "userProfile not allowed with internalId",
  ],
  [
    "internalId with groupDefinitions",
    { deploymentId: 32, internalId: "jane", groupDefinitions: [{ name: "a" }] },
    400,
    "groupDefinitions not allowed with internalId",
  ],
  [
    "internalId with userAttributeDefinitions",
    { deploymentId: 32, internalId: "jane", userAttributeDefinitions: [{ name: "a", type: "string" }] },
    400,
    "userAttributeDefinitions not allowed with internalId",
  ],
  [
    "internalId with null fields",
    { deploymentId: 32, internalId: "jane", groups: null, userProfile: null },
    200,
  ],
  [
    "tenantGroups without creatorMode",
    { ...user, embedTenantName: "acme-corp", tenantGroups: ["analysts"] },
    400,
    "tenantGroups require creatorMode: true and embedTenantName",
  ],
  [
    "tenantGroupDefinitions without embedTenantName",
    { ...user, creatorMode: true, tenantGroupDefinitions: [{ name: "a" }] },
    400,
    "tenantGroupDefinitions require creatorMode: true and embedTenantName",
  ],
  [
    "userAttributeDefinitions with creatorMode false",
    {
      ...user,
      creatorMode: false,
      embedTenantName: "acme-corp",
      userAttributeDefinitions: [{ name: "a", type: "string" }],
    },
    400,
    "userAttributeDefinitions require",
  ],
  [
    "groupDefinitions without either",
    { ...user, groupDefinitions: [{ name: "a" }] },
    400,
    "groupDefinitions require",
  ],
  ["tenantGroups in creator mode", { ...creator, tenantGroups: ["analysts"] }, 200],
  [
    "creator mode resolves groups in the embed tenant",
    { ...creator, groups: ["marketing"] },
    400,
    "Groups with names marketing not found",
  ],
  [
    "creator mode resolves attributes in the embed tenant",
    { ...creator, userAttributes: [{ name: "city", value: "x" }] },
    400,
    "User attributes not found: city",
  ],
  [
    "definitions in the same request are usable",
    {
      ...creator,
      groupDefinitions: [{ name: "ops" }],
      tenantGroupDefinitions: [{ name: "sales" }],
      userAttributeDefinitions: [{ name: "level", type: "number" }],
      groups: ["ops", "sales"],
      userAttributes: [{ name: "level", value: 3 }],
    },
    200,
  ],
  [
    "a definition that changes a type",
    { ...creator, userAttributeDefinitions: [{ name: "department", type: "number" }] },
    400,
    "User attribute department: cannot change type from string to number",
  ],
  [
    "a definition that keeps the type",
    { ...creator, userAttributeDefinitions: [{ name: "department", type: "string" }] },
    200,
  ],
  [
    "duplicate definition names",
    { ...creator, tenantGroupDefinitions: [{ name: "a" }, { name: "a" }] },
    400,
    "Duplicate definition names: a",
  ],
  [
    "a value of the wrong type for a new definition",
    {
      ...creator,
      userAttributeDefinitions: [{ name: "level", type: "number" }],
      userAttributes: [{ name: "level", value: "high" }],
    },
    400,
    "User attribute level must be a number value",
  ],
  ["a branch nothing serves", { ...user, branchName: "stale" }, 400, "Branch stale is not being served"],
  ["a served branch", { ...user, branchName: "preview" }, 200],
  ["a branch that does not exist", { ...user, branchName: "nope" }, 404, "Branch not found: nope"],
  ["a 2-character embedTenantName (current pattern)", { ...user, embedTenantName: "ab" }, 200],
  [
    "a 1-character embedTenantName",
    { ...user, embedTenantName: "a" },
    400,
    "body.embedTenantName: must match pattern",
  ],
  [
    "a picture that is not http(s)",
    { ...user, userProfile: { picture: "ftp://x.example/a.png" } },
    400,
    "body.userProfile.picture",
  ],
];

describe("cube generate-session rules, as documented", () => {
  it.each(RULES)("%s", async (_name, body, status, message) => {
    const { emu } = await emulator("cube");
    const res = await call(emu, PATHS.cube.generate, body, admin);
    expect(res.status, res.text).toBe(status);
    if (status === 200) return expect(res.body.sessionId).toMatch(/^[0-9a-f]{32}$/);
    expect(isEnvelope("cube", res.body, status)).toBe(true);
    expect(String(res.body.message)).toContain(message);
  });

  it("upserts nothing when one definition changes a type", async () => {
    const { emu } = await emulator("cube");
    const refused = await call(
      emu,
      PATHS.cube.generate,
      {
        ...creator,
        tenantGroupDefinitions: [{ name: "fresh" }],
        userAttributeDefinitions: [
          { name: "level", type: "number" },
          { name: "department", type: "number" },
        ],
      },
      admin,
    );
    expect(refused.status).toBe(400);
    const later = await call(emu, PATHS.cube.generate, { ...creator, groups: ["fresh"] }, admin);
    expect(later.body.message).toBe("Groups with names fresh not found");
    const state = await control(emu, "state");
    expect(state.body.catalog).toMatchObject({
      embedTenants: { "acme-corp": { groups: ["analysts"], userAttributes: { department: "string" } } },
    });
  });

  it("keeps definitions for later sessions, and a later definition may not change their type", async () => {
    const { emu } = await emulator("cube");
    const define = { ...creator, userAttributeDefinitions: [{ name: "level", type: "number" }] };
    expect((await call(emu, PATHS.cube.generate, define, admin)).status).toBe(200);
    const use = { ...creator, userAttributes: [{ name: "level", value: 1 }] };
    expect((await call(emu, PATHS.cube.generate, use, admin)).status).toBe(200);
    const change = { ...creator, userAttributeDefinitions: [{ name: "level", type: "string" }] };
    expect((await call(emu, PATHS.cube.generate, change, admin)).body.message).toContain(
      "cannot change type",
    );
  });
});

describe("cube rules that config changes", () => {
  it.each([
    ["groups", { groups: ["finance"] }, { ...user, groups: ["finance"] }, 200],
    [
      "userAttributes",
      { userAttributes: [{ name: "plan", type: "string" }] },
      { ...user, userAttributes: [{ name: "plan", value: "pro" }] },
      200,
    ],
    [
      "userAttributes drop the dev defaults",
      { userAttributes: [] },
      { ...user, userAttributes: [{ name: "city", value: "x" }] },
      400,
    ],
    [
      "embedTenants",
      { embedTenants: [{ name: "globex", groups: ["ops"], userAttributes: [] }] },
      { ...user, creatorMode: true, embedTenantName: "globex", groups: ["ops"] },
      200,
    ],
    ["creatorModeEnabled false", { creatorModeEnabled: false }, { ...creator }, 403],
    ["embeddingEnabled false", { embeddingEnabled: false }, user, 403],
    [
      "embedTenantNameLength prose refuses 4 characters",
      { embedTenantNameLength: "prose" },
      { ...user, embedTenantName: "abcd" },
      400,
    ],
    [
      "embedTenantNameLength prose admits 5 characters",
      { embedTenantNameLength: "prose" },
      { ...user, embedTenantName: "abcde" },
      200,
    ],
    ["statuses.unknownGroups", { statuses: { unknownGroups: 404 } }, { ...user, groups: ["x"] }, 404],
    [
      "statuses.unknownUserAttributes",
      { statuses: { unknownUserAttributes: 422 } },
      { ...user, userAttributes: [{ name: "x" }] },
      422,
    ],
    [
      "statuses.attributeValueType",
      { statuses: { attributeValueType: 422 } },
      { ...user, userAttributes: [{ name: "tier", value: "x" }] },
      422,
    ],
    [
      "statuses.attributeTypeChange",
      { statuses: { attributeTypeChange: 409 } },
      { ...creator, userAttributeDefinitions: [{ name: "department", type: "number" }] },
      409,
    ],
    [
      "statuses.duplicateDefinitions",
      { statuses: { duplicateDefinitions: 409 } },
      { ...creator, tenantGroupDefinitions: [{ name: "a" }, { name: "a" }] },
      409,
    ],
    ["requireIdentity refuses neither", { requireIdentity: true }, { deploymentId: 32 }, 400],
    ["statuses.identity", { requireIdentity: true, statuses: { identity: 422 } }, { deploymentId: 32 }, 422],
    [
      "statuses.internalIdExclusive",
      { statuses: { internalIdExclusive: 403 } },
      { deploymentId: 32, internalId: "j", groups: [] },
      403,
    ],
    [
      "statuses.creatorModeRequired",
      { statuses: { creatorModeRequired: 403 } },
      { ...user, tenantGroups: [] },
      403,
    ],
    [
      "statuses.creatorModeDisabled",
      { creatorModeEnabled: false, statuses: { creatorModeDisabled: 400 } },
      creator,
      400,
    ],
    [
      "statuses.embedTenantNameLength",
      { embedTenantNameLength: "prose", statuses: { embedTenantNameLength: 422 } },
      { ...user, embedTenantName: "ab" },
      422,
    ],
  ])("%s", async (_name, config, body, status) => {
    const { emu } = await emulator("cube", config);
    const res = await call(emu, PATHS.cube.generate, body, admin);
    expect(res.status, res.text).toBe(status);
    if (status >= 400) expect(isEnvelope("cube", res.body, status)).toBe(true);
  });

  it("statuses.userLimit: the status over the external-user limit", async () => {
    const { emu } = await emulator("cube", { maxExternalUsers: 1, statuses: { userLimit: 403 } });
    expect((await call(emu, PATHS.cube.generate, user, admin)).status).toBe(200);
    const over = await call(emu, PATHS.cube.generate, { ...user, externalId: "other" }, admin);
    expect(over.status).toBe(403);
    expect(over.body.message).toContain("limit of 1 external users");
  });

  it.each([
    ["required by default", {}, { externalId: "u" }, 400],
    ["the older mode uses defaultDeploymentId", { requireDeploymentId: false }, { externalId: "u" }, 200],
    [
      "the older mode still checks the default deployment",
      { requireDeploymentId: false, defaultDeploymentId: 34 },
      { externalId: "u" },
      403,
    ],
  ])("deploymentId %s", async (_name, config, body, status) => {
    const { emu } = await emulator("cube", config);
    const res = await call(emu, PATHS.cube.generate, body, admin);
    expect(res.status, res.text).toBe(status);
  });

  it("the older mode's session token carries the default deploymentId", async () => {
    const { emu } = await emulator("cube", { requireDeploymentId: false });
    const { body } = await call(emu, PATHS.cube.generate, { externalId: "u" }, admin);
    const { body: exchanged } = await call(emu, PATHS.cube.exchange, { sessionId: body.sessionId });
    const secret = new TextEncoder().encode("cube-dev-embed-secret-0123456789abcdef");
    const { payload } = await jwtVerify(exchanged.token as string, secret, {
      currentDate: new Date(Date.parse("2026-03-01T12:00:00Z")),
    });
    expect(payload.deploymentId).toBe(32);
  });
});

describe("cube: the spec says it", () => {
  it("userProfile.picture keeps format url and adds pattern ^https?://", async () => {
    const spec = await loadSpec(specPath("cube"));
    const doc = spec.document as {
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    expect(doc.components.schemas.EmbedUserProfile?.properties.picture).toMatchObject({
      format: "url",
      pattern: "^[Hh][Tt][Tt][Pp][Ss]?://",
    });
    // A validator that ignores the unknown `url` format still refuses what Cube refuses.
    const picture = doc.components.schemas.EmbedUserProfile?.properties.picture as object;
    const ignoring = new Ajv2020({ strict: false, validateFormats: false }).compile(picture);
    expect(["https://a.example/p.png", "HTTP://a.example/", null].map((v) => ignoring(v))).toEqual([
      true,
      true,
      true,
    ]);
    expect(["ftp://a.example/p.png", "a.example/p.png", "/p.png"].map((v) => ignoring(v))).toEqual([
      false,
      false,
      false,
    ]);
  });
});

/** Every field of a session, so the token carries every claim it can. */
const EVERY_FIELD = {
  ...creator,
  email: "user@example.com",
  groups: ["analysts"],
  roles: ["viewer"],
  userAttributes: [{ name: "department", value: "Sales" }],
  securityContext: { team: 7 },
  settings: { allowAi: false, locale: "fr-FR" },
  embedTenantProfile: { displayName: "Acme" },
  tenantGroups: ["analysts"],
  userProfile: { displayName: "Ada", picture: "https://acme.example/a.png" },
  embedTheme: { font: "Inter", primaryColor: "#7A77FF", chat: { inputColor: "#000" } },
  isEphemeral: true,
  publicDashboardId: "dash-1",
  branchName: "preview",
  tenantGroupDefinitions: [{ name: "analysts" }],
  userAttributeDefinitions: [{ name: "department", type: "string" }],
};

describe("cube: the token carries the session", () => {
  it("claims are exactly the x-embedkit-token claimNames, each session field as it was sent", async () => {
    const { emu, clock } = await emulator("cube");
    const { body } = await call(emu, PATHS.cube.generate, EVERY_FIELD, admin);
    const { body: exchanged } = await call(emu, PATHS.cube.exchange, { sessionId: body.sessionId });
    const secret = new TextEncoder().encode("cube-dev-embed-secret-0123456789abcdef");
    const { payload } = await jwtVerify(exchanged.token as string, secret, {
      currentDate: new Date(clock.now()),
    });
    const spec = await loadSpec(specPath("cube"));
    const op = spec.operations.find((o) => o.id === "postTokenBySessionId");
    const note = op?.responses["200"]?.extensions["x-embedkit-token"] as { claimNames: string[] };
    // internalId is the one claim a session with externalId cannot carry.
    expect(Object.keys(payload).sort()).toEqual(note.claimNames.filter((c) => c !== "internalId").sort());
    const {
      deploymentId: _d,
      externalId: _e,
      tenantGroupDefinitions: _t,
      userAttributeDefinitions: _u,
      ...fields
    } = EVERY_FIELD;
    expect(payload).toMatchObject({ ...fields, deploymentId: 32, externalId: "user@example.com" });
    const internal = await call(emu, PATHS.cube.generate, { deploymentId: 32, internalId: "jane" }, admin);
    const minted = await call(emu, PATHS.cube.exchange, { sessionId: internal.body.sessionId });
    const claims = (
      await jwtVerify(minted.body.token as string, secret, { currentDate: new Date(clock.now()) })
    ).payload;
    expect(claims.internalId).toBe("jane");
    expect(note.claimNames).toEqual(expect.arrayContaining(Object.keys(claims)));
  });
});

describe("cube: empty bodies and revoke", () => {
  it.each([
    ["generate-session", PATHS.cube.generate, admin, "deploymentId"],
    ["session/token", PATHS.cube.exchange, {}, "sessionId"],
    ["revoke", PATHS.cube.revoke, admin, "sessionId"],
  ])(
    "%s: an empty body is optional in the spec and answered as {} is: 400",
    async (_name, path, headers, field) => {
      const { emu } = await emulator("cube");
      const res = await call(emu, path, undefined, headers);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        statusCode: 400,
        message: `body: must have required property '${field}'`,
      });
      const spec = await loadSpec(specPath("cube"));
      const op = spec.operations.find((o) => o.path.endsWith(path.replace("/api", "")));
      expect(op?.requestBody?.required ?? false).toBe(false);
    },
  );

  it("statuses.emptyBody changes that answer", async () => {
    const { emu } = await emulator("cube", { statuses: { emptyBody: 422 } });
    expect((await call(emu, PATHS.cube.exchange, undefined)).status).toBe(422);
  });

  it.each([
    ["embedding on", {}, 204],
    ["embedding off for the account", { embeddingEnabled: false }, 403],
  ])("revoke with %s → %i", async (_name, config, status) => {
    const { emu } = await emulator("cube", config);
    const res = await call(emu, PATHS.cube.revoke, { sessionId: "0123456789abcdef0123456789abcdef" }, admin);
    expect(res.status).toBe(status);
    if (status === 403) expect(isEnvelope("cube", res.body, 403)).toBe(true);
  });
});
