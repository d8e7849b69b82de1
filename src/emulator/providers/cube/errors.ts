import type { components } from "../../../../generated/cube.js";
import type { Reply } from "../../kit/index.js";
import { reasonPhrase } from "../../kit/index.js";

type CubeError = components["schemas"]["Error"];

/**
 * NestJS's default error body, `{statusCode, message, error}` (the spec's x-embedkit-error-envelope):
 * validation problems as a list of messages, as NestJS's ValidationPipe sends them.
 */
export function cubeEnvelope(status: number, message: string, problems?: string[]): CubeError {
  return {
    statusCode: status,
    message: problems && problems.length > 0 ? problems : message,
    error: reasonPhrase(status),
  };
}

export const cubeError = (status: number, message: string): Reply => ({
  status,
  body: cubeEnvelope(status, message),
});
