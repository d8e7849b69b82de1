import { type CommonSettings, lifetimeSeconds } from "../../kit/index.js";

export interface ToucanApiKey {
  key: string;
  /** The `kid` of this key's tokens: each API key has its own encryption key. */
  keyId: string;
  /** 32 bytes as base64url: the A256GCM key of this API key's tokens. */
  keyMaterial: string;
  /** Disabled keys answer 403. */
  disabled?: boolean;
  /** Carried as the `org` claim. */
  org: string;
  /**
   * Origins whose pages may use this key's tokens (Toucan's Authorized Origins); `http://host:*`
   * allows any port. Requests from other origins are refused with 403.
   */
  authorizedOrigins?: string[];
}

export interface ToucanSettings {
  apiKeys: ToucanApiKey[];
  tokenTtlSeconds: number;
  /** Used when a request sends no `permissions`; defaults to the spec's x-embedkit-permissions-default. */
  defaultPermissions?: Record<string, unknown>;
  /** `jwe` as Toucan's security page says, or `jws` (HS256) as its example token is (x-embedkit-token-format). */
  tokenFormat: "jwe" | "jws";
}

export type ToucanConfig = CommonSettings & ToucanSettings;

/** Any local dev server: what a developer's app runs on. */
const DEV_ORIGINS = ["http://localhost:*", "http://127.0.0.1:*"];

const material = (text: string) => Buffer.from(text, "utf8").toString("base64url");

export function toucanDefaults(): ToucanSettings {
  return {
    apiKeys: [
      {
        key: "ek_toucan_dev_key",
        keyId: "dev",
        keyMaterial: material("toucan-dev-key-material-32bytes!"),
        org: "dev-org",
        authorizedOrigins: DEV_ORIGINS,
      },
      {
        key: "ek_toucan_disabled_dev",
        keyId: "dev-disabled",
        keyMaterial: material("toucan-disabled-key-material-32!"),
        disabled: true,
        org: "dev-org",
      },
    ],
    tokenTtlSeconds: 3_600,
    tokenFormat: "jwe",
  };
}

export const toucanConfigSchema = {
  required: ["apiKeys", "tokenTtlSeconds", "tokenFormat"],
  properties: {
    apiKeys: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["key", "keyId", "keyMaterial", "org"],
        properties: {
          key: { type: "string", minLength: 8, pattern: "^\\S+$" },
          keyId: { type: "string", minLength: 1 },
          keyMaterial: { type: "string", pattern: "^[A-Za-z0-9_-]{43}$" },
          disabled: { type: "boolean" },
          org: { type: "string" },
          authorizedOrigins: { type: "array", items: { type: "string", pattern: "^https?://[^/]+$" } },
        },
      },
    },
    tokenTtlSeconds: lifetimeSeconds,
    defaultPermissions: { type: "object" },
    tokenFormat: { enum: ["jwe", "jws"] },
  },
};
