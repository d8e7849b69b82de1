import { type CommonSettings, lifetimeSeconds } from "../../kit/index.js";

export interface ExploApiToken {
  token: string;
  /** Read-only tokens may not mint embed tokens (https://docs.explo.co/report-builder-features/read-only). */
  readOnly: boolean;
}

export interface ExploEmbedSecret {
  keyId: string;
  /** Used directly as the A256GCM key, so exactly 32 bytes (UTF-8). */
  secret: string;
}

export interface ExploSettings {
  apiTokens: ExploApiToken[];
  embedSecrets: ExploEmbedSecret[];
  /** The secret used when a request has no key_id. */
  defaultKeyId: string;
  defaultExpirationSeconds: number;
  /** `append`: `iss` gets the trailing `/` Explo requires; `as-sent`: the origin unchanged (x-embedkit-issuer-slash). */
  issuerSlash: "append" | "as-sent";
  /** Statuses Explo does not publish; absent keys take the spec's notes (x-embedkit-key-id, x-embedkit-read-only). */
  statuses?: Partial<ExploStatuses>;
}

export interface ExploStatuses {
  unknownKeyId: number;
  readOnlyToken: number;
}

export type ExploConfig = CommonSettings & ExploSettings;

/** The vendor docs' example key id, so the request from Explo's docs works as it stands. */
export const DOCS_KEY_ID = "aa111111-1a11-111a-aa11-1aaaa11a1a11";

export function exploDefaults(): ExploSettings {
  return {
    apiTokens: [
      { token: "ek_explo_dev_token", readOnly: false },
      { token: "ek_explo_readonly_dev", readOnly: true },
    ],
    embedSecrets: [{ keyId: DOCS_KEY_ID, secret: "explo-dev-embed-secret-32-bytes!" }],
    defaultKeyId: DOCS_KEY_ID,
    defaultExpirationSeconds: 86_400,
    issuerSlash: "append",
  };
}

export const exploConfigSchema = {
  required: ["apiTokens", "embedSecrets", "defaultKeyId", "defaultExpirationSeconds", "issuerSlash"],
  properties: {
    apiTokens: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["token", "readOnly"],
        properties: {
          token: { type: "string", minLength: 8, pattern: "^\\S+$" },
          readOnly: { type: "boolean" },
        },
      },
    },
    embedSecrets: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["keyId", "secret"],
        properties: {
          keyId: { type: "string", minLength: 1 },
          secret: { type: "string", minLength: 32, maxLength: 32 },
        },
      },
    },
    defaultKeyId: { type: "string", minLength: 1 },
    defaultExpirationSeconds: lifetimeSeconds,
    issuerSlash: { enum: ["append", "as-sent"] },
    statuses: {
      type: "object",
      additionalProperties: false,
      properties: {
        unknownKeyId: { type: "integer", minimum: 400, maximum: 599 },
        readOnlyToken: { type: "integer", minimum: 400, maximum: 599 },
      },
    },
  },
};
