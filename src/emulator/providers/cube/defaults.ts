import type { CommonSettings } from "../../kit/index.js";

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
  branches: string[];
}

export interface CubeSettings {
  apiKeys: CubeApiKey[];
  deployments: CubeDeployment[];
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
      { id: 32, embedding: true, branches: ["main"] },
      { id: 33, embedding: true, branches: ["main"] },
      { id: 34, embedding: false, branches: ["main"] },
    ],
    embedSecret: "cube-dev-embed-secret-0123456789abcdef",
    maxExternalUsers: 10_000,
    sessionTtlSeconds: 300,
    tokenTtlSeconds: 86_400,
    maxActiveSessions: 250_000,
  };
}

const positive = { type: "integer", minimum: 1 };

export const cubeConfigSchema = {
  required: [
    "apiKeys",
    "deployments",
    "embedSecret",
    "maxExternalUsers",
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
          branches: { type: "array", items: { type: "string", minLength: 1 } },
        },
      },
    },
    embedSecret: { type: "string", minLength: 16 },
    maxExternalUsers: positive,
    sessionTtlSeconds: positive,
    tokenTtlSeconds: positive,
    maxActiveSessions: positive,
  },
};
