import type { components } from "../../../../generated/toucan.js";
import type { Reply } from "../../kit/index.js";

type ToucanError = components["schemas"]["Error"];

const CODES: Record<number, string> = {
  400: "INVALID_REQUEST",
  401: "INVALID_API_KEY",
  403: "API_KEY_DISABLED",
  404: "NOT_FOUND",
  405: "METHOD_NOT_ALLOWED",
  413: "PAYLOAD_TOO_LARGE",
  429: "RATE_LIMITED",
  503: "SERVICE_UNAVAILABLE",
};

/** `{code, message}` (the spec's x-embedkit-error-envelope); the codes are ours. */
export function toucanEnvelope(status: number, message: string, problems?: string[]): ToucanError {
  const code = CODES[status] ?? (status >= 500 ? "INTERNAL_ERROR" : "REQUEST_FAILED");
  return { code, message: problems && problems.length > 0 ? problems.join("; ") : message };
}

export const toucanError = (status: number, message: string): Reply => ({
  status,
  body: toucanEnvelope(status, message),
});
