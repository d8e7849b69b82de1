import { type CommonSettings, int, lifetimeSeconds } from "../../kit/index.js";

export interface CubeApiKey {
  key: string;
  /** Only admin keys may mint and revoke sessions. */
  admin: boolean;
  /** Deployment ids the key may read; absent = every deployment. */
  deployments?: number[];
  name?: string;
}

export interface CubeDeployment {
  id: number;
  /** Embedding switched on for the tenant; off → 403. */
  embedding: boolean;
  /** Branches being served: a session may select them. */
  branches: string[];
  /** Branches that exist but that nothing serves: selecting one answers 400, as Cube documents. */
  idleBranches?: string[];
  /** What `GET /v1/deployments/{id}` answers; defaults to "Deployment <id>". */
  name?: string;
  /** Base URL of the deployment's data APIs (not emulated); defaults to an unreachable .invalid host. */
  deploymentUrl?: string;
}

/** A dashboard the embed iframe can show, at /embed/dashboard/<publicId>. */
export interface CubeDashboard {
  publicId: string;
  deploymentId: number;
  name: string;
  /** The dashboard's "Allow signed embedding" switch; off → 403 and an error event in the iframe. */
  allowEmbed: boolean;
}

/** Cube's attribute types (`UserAttributeDefinition.type`). */
export type CubeAttributeType = "string" | "number" | "boolean" | "string_array" | "number_array";

export interface CubeAttributeDefinition {
  name: string;
  type: CubeAttributeType;
}

/** An embed tenant's scoped catalog, which creator-mode sessions resolve names against. */
export interface CubeEmbedTenant {
  name: string;
  groups: string[];
  userAttributes: CubeAttributeDefinition[];
}

/**
 * The statuses Cube gives no number for, only a message (the spec's x-embedkit-rule-statuses and
 * x-embedkit-user-limit notes, GUESS). Absent keys take the spec's values.
 */
export interface CubeStatuses {
  unknownGroups: number;
  unknownUserAttributes: number;
  attributeValueType: number;
  attributeTypeChange: number;
  duplicateDefinitions: number;
  identity: number;
  internalIdExclusive: number;
  creatorModeRequired: number;
  creatorModeDisabled: number;
  embedTenantNameLength: number;
  emptyBody: number;
  userLimit: number;
}

export interface CubeSettings {
  apiKeys: CubeApiKey[];
  deployments: CubeDeployment[];
  /** Embedding for the whole account; off → generate-session and revoke answer 403. */
  embeddingEnabled: boolean;
  /** Cube's `useCreatorMode` tenant flag: creator-mode sessions and definitions need it. */
  creatorModeEnabled: boolean;
  /** Tenant-wide groups (Settings → Groups): what `groups` resolves against outside creator mode. */
  groups: string[];
  /** Tenant-wide attribute catalog (Settings → User Attributes). */
  userAttributes: CubeAttributeDefinition[];
  /** Embed tenants and their scoped catalogs, before any request adds definitions. */
  embedTenants: CubeEmbedTenant[];
  /**
   * `deploymentId` is required by the current docs; `false` is the older behaviour that three
   * public clients from before December 2025 rely on: a body without it uses `defaultDeploymentId`.
   */
  requireDeploymentId: boolean;
  defaultDeploymentId: number;
  /** Refuse a body with neither `externalId` nor `internalId` (x-embedkit-identity); off by default. */
  requireIdentity: boolean;
  /**
   * `spec`: `embedTenantName` only has to match the current pattern (2–36 characters); `prose`:
   * also the 5–36 characters the docs' prose states (x-embedkit-embed-tenant-name).
   */
  embedTenantNameLength: "spec" | "prose";
  statuses?: Partial<CubeStatuses>;
  dashboards: CubeDashboard[];
  /** The tenant's embed secret: the HMAC key of every embed token. */
  embedSecret: string;
  /** Cube's stated account limit; the status of a request over it is the spec's x-embedkit-user-limit. */
  maxExternalUsers: number;
  sessionTtlSeconds: number;
  tokenTtlSeconds: number;
  /** Bounds memory: beyond this many unexchanged sessions, generate-session answers 429. */
  maxActiveSessions: number;
}

export type CubeConfig = CommonSettings & CubeSettings;

export function cubeDefaults(): CubeSettings {
  return {
    apiKeys: [
      { name: "admin", key: "ek_cube_admin_dev", admin: true },
      { name: "member", key: "ek_cube_member_dev", admin: false },
      { name: "scoped-to-33", key: "ek_cube_scoped_dev", admin: true, deployments: [33] },
    ],
    deployments: [
      { id: 32, embedding: true, branches: ["main", "preview"], idleBranches: ["stale"] },
      { id: 33, embedding: true, branches: ["main"] },
      { id: 34, embedding: false, branches: ["main"] },
    ],
    embeddingEnabled: true,
    creatorModeEnabled: true,
    // The names Cube's own guide uses, so its samples work as they stand.
    groups: ["analysts", "marketing"],
    userAttributes: [
      { name: "city", type: "string" },
      { name: "department", type: "string" },
      { name: "tier", type: "number" },
      { name: "regions", type: "string_array" },
      { name: "thresholds", type: "number_array" },
    ],
    embedTenants: [
      {
        name: "acme-corp",
        groups: ["analysts"],
        userAttributes: [{ name: "department", type: "string" }],
      },
    ],
    requireDeploymentId: true,
    defaultDeploymentId: 32,
    requireIdentity: false,
    embedTenantNameLength: "spec",
    dashboards: [
      { publicId: "sales-overview", deploymentId: 32, name: "Sales overview", allowEmbed: true },
      { publicId: "finance-internal", deploymentId: 32, name: "Finance (internal)", allowEmbed: false },
      { publicId: "ops-overview", deploymentId: 33, name: "Operations", allowEmbed: true },
    ],
    embedSecret: "cube-dev-embed-secret-0123456789abcdef",
    maxExternalUsers: 10_000,
    sessionTtlSeconds: 300,
    tokenTtlSeconds: 86_400,
    maxActiveSessions: 250_000,
  };
}

const status = { type: "integer", minimum: 400, maximum: 599 };
const names = { type: "array", items: { type: "string", minLength: 1 } };
const attributeDefinitions = {
  type: "array",
  items: {
    type: "object",
    additionalProperties: false,
    required: ["name", "type"],
    properties: {
      name: { type: "string", minLength: 1 },
      type: { enum: ["string", "number", "boolean", "string_array", "number_array"] },
    },
  },
};
export const STATUS_KEYS = [
  "unknownGroups",
  "unknownUserAttributes",
  "attributeValueType",
  "attributeTypeChange",
  "duplicateDefinitions",
  "identity",
  "internalIdExclusive",
  "creatorModeRequired",
  "creatorModeDisabled",
  "embedTenantNameLength",
  "emptyBody",
  "userLimit",
] as const satisfies readonly (keyof CubeStatuses)[];

export const cubeConfigSchema = {
  required: [
    "apiKeys",
    "deployments",
    "dashboards",
    "embedSecret",
    "maxExternalUsers",
    "embeddingEnabled",
    "creatorModeEnabled",
    "groups",
    "userAttributes",
    "embedTenants",
    "requireDeploymentId",
    "defaultDeploymentId",
    "requireIdentity",
    "embedTenantNameLength",
    "sessionTtlSeconds",
    "tokenTtlSeconds",
  ],
  properties: {
    apiKeys: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["key", "admin"],
        properties: {
          key: { type: "string", minLength: 8, pattern: "^\\S+$" },
          admin: { type: "boolean" },
          deployments: { type: "array", items: { type: "integer" } },
          name: { type: "string" },
        },
      },
    },
    deployments: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["id", "embedding", "branches"],
        properties: {
          id: { type: "integer" },
          embedding: { type: "boolean" },
          branches: names,
          idleBranches: names,
          name: { type: "string", minLength: 1 },
          deploymentUrl: { type: "string", pattern: "^https?://" },
        },
      },
    },
    dashboards: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["publicId", "deploymentId", "name", "allowEmbed"],
        properties: {
          publicId: { type: "string", pattern: "^[A-Za-z0-9_-]{1,200}$" },
          deploymentId: { type: "integer" },
          name: { type: "string" },
          allowEmbed: { type: "boolean" },
        },
      },
    },
    embeddingEnabled: { type: "boolean" },
    creatorModeEnabled: { type: "boolean" },
    groups: names,
    userAttributes: attributeDefinitions,
    embedTenants: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["name", "groups", "userAttributes"],
        properties: { name: { type: "string" }, groups: names, userAttributes: attributeDefinitions },
      },
    },
    requireDeploymentId: { type: "boolean" },
    requireIdentity: { type: "boolean" },
    defaultDeploymentId: { type: "integer" },
    embedTenantNameLength: { enum: ["spec", "prose"] },
    statuses: {
      type: "object",
      additionalProperties: false,
      properties: Object.fromEntries(STATUS_KEYS.map((k) => [k, status])),
    },
    embedSecret: { type: "string", minLength: 16 },
    maxExternalUsers: int(1, 10_000_000),
    sessionTtlSeconds: lifetimeSeconds,
    tokenTtlSeconds: lifetimeSeconds,
    maxActiveSessions: int(1, 10_000_000),
  },
};
