import type { components } from "../../../../generated/explo.js";
import type { Reply } from "../../kit/index.js";

type ExploError = components["schemas"]["Error"];

/** `{success: 0, error}` (the spec's x-embedkit-error-envelope); Explo only documents `success`. */
export function exploEnvelope(_status: number, message: string, problems?: string[]): ExploError {
  return { success: 0, error: problems && problems.length > 0 ? problems.join("; ") : message };
}

export const exploError = (status: number, message: string): Reply => ({
  status,
  body: exploEnvelope(status, message),
});
