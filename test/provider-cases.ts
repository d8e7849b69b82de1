import type { ProviderId } from "../src/openapi/index.js";
import { AUTH, GENERATE_PATH, isEnvelope, VALID_BODY } from "./emulator/helpers.js";

/**
 * The one table of what the tests that apply to every provider need to know about it: which call
 * mints, with what credential and body, what its error envelope looks like, what must never leak,
 * and which checks cannot apply to it. Adding a provider adds a row (a fixture provider adds its
 * row with addProviderCase, beside registerProvider); no shared suite is edited.
 */
export interface ProviderCase {
  /** The operation that mints: the one the shared emulator suite calls. */
  operationId: string;
  path: string;
  auth: Record<string, string>;
  validBody: Record<string, unknown>;
  isEnvelope: (body: Record<string, unknown>, status: number) => boolean;
  /** Its dev secrets: none may show in a journal, a state dump or a log line. */
  secrets: string[];
  /** Checks a clean contract run cannot exercise against it. */
  notApplicable: string[];
  /** The operation whose response carries its token. */
  tokenOperation: string;
}

const BUILT_IN: Record<ProviderId, ProviderCase> = {
  cube: {
    operationId: "generateSession",
    path: GENERATE_PATH.cube,
    auth: AUTH.cube,
    validBody: VALID_BODY.cube,
    isEnvelope: (body, status) => isEnvelope("cube", body, status),
    secrets: ["ek_cube_admin_dev", "ek_cube_member_dev", "cube-dev-embed-secret-0123456789abcdef"],
    // Only a 429 declares a response header (Retry-After).
    notApplicable: ["response-headers-conformance", "ensure-resource-availability", "use-after-free"],
    tokenOperation: "postTokenBySessionId",
  },
  explo: {
    operationId: "generateJwt",
    path: GENERATE_PATH.explo,
    auth: AUTH.explo,
    validBody: VALID_BODY.explo,
    isEnvelope: (body, status) => isEnvelope("explo", body, status),
    secrets: ["ek_explo_dev_token", "explo-dev-embed-secret-32-bytes!"],
    // Only Cube marks an operation x-embedkit-single-use.
    notApplicable: [
      "response-headers-conformance",
      "single-use",
      "ensure-resource-availability",
      "use-after-free",
    ],
    tokenOperation: "generateJwt",
  },
  toucan: {
    operationId: "generateToken",
    path: GENERATE_PATH.toucan,
    auth: AUTH.toucan,
    validBody: VALID_BODY.toucan,
    isEnvelope: (body, status) => isEnvelope("toucan", body, status),
    secrets: ["ek_toucan_dev_key", "dG91Y2FuLWRldi1rZXktbWF0ZXJpYWwtMzJieXRlcyE"],
    notApplicable: [
      "response-headers-conformance",
      "single-use",
      "ensure-resource-availability",
      "use-after-free",
    ],
    tokenOperation: "generateToken",
  },
};

const cases = new Map<string, ProviderCase>(Object.entries(BUILT_IN));

/** A registered provider's row (from its fixture folder). */
export function addProviderCase(id: string, row: ProviderCase): void {
  cases.set(id, row);
}

export function providerCase(id: string): ProviderCase {
  const row = cases.get(id);
  if (!row) throw new Error(`no provider case for "${id}": add its row with addProviderCase`);
  return row;
}

/** Every secret of every provider in the table. */
export const allSecrets = () => [...cases.values()].flatMap((c) => c.secrets);
