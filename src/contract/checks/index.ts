import type { Check } from "../types.js";
import { contentTypeConformance } from "./content-type-conformance.js";
import { ensureResourceAvailability } from "./ensure-resource-availability.js";
import { ignoredAuth } from "./ignored-auth.js";
import { negativeDataRejection } from "./negative-data-rejection.js";
import { notAServerError } from "./not-a-server-error.js";
import { positiveDataAcceptance } from "./positive-data-acceptance.js";
import { responseHeadersConformance } from "./response-headers-conformance.js";
import { responseSchemaConformance } from "./response-schema-conformance.js";
import { singleUse } from "./single-use.js";
import { statusCodeConformance } from "./status-code-conformance.js";
import { successPath } from "./success-path.js";
import { tokenClaims } from "./token-claims.js";
import { tokenFormat } from "./token-format.js";
import { tokenLifetime } from "./token-lifetime.js";
import { useAfterFree } from "./use-after-free.js";

export { ACCEPTED_STATUSES } from "./positive-data-acceptance.js";
export { isoDurationSeconds, keyBytes } from "./token.js";

/** Every check, in report order. Each is one pure unit with the same signature. */
export const ALL_CHECKS: readonly Check[] = [
  notAServerError,
  statusCodeConformance,
  contentTypeConformance,
  responseSchemaConformance,
  responseHeadersConformance,
  negativeDataRejection,
  positiveDataAcceptance,
  ignoredAuth,
  singleUse,
  ensureResourceAvailability,
  useAfterFree,
  tokenFormat,
  tokenLifetime,
  tokenClaims,
  successPath,
];

export const CHECK_IDS: readonly string[] = ALL_CHECKS.map((c) => c.id);
