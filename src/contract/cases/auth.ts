import type { Operation } from "../../openapi/index.js";
import type { Case } from "../types.js";
import { baseBody, buildRequest, type CaseSource, chosenSchemes, singleCase } from "./context.js";

/** A credential of the right shape that no service can know: the scheme word kept, the secret replaced. */
function unknownCredential(value: string | undefined): string {
  const m = value ? /^(\S+\s+)\S+$/.exec(value) : null;
  return `${m ? m[1] : ""}embedkit-unknown-credential-0000`;
}

/**
 * For operations that need a credential: none at all, a malformed one, an unknown one. The body
 * is a valid one, so a refusal can only be about the credential.
 */
export function authCases(src: CaseSource, op: Operation): Case[] {
  const schemes = chosenSchemes(op, src.credentials);
  if (schemes.length === 0) return [];
  const body = baseBody(src, op);
  const variants: Array<[string, (name: string) => string | null]> = [
    ["no credential", () => null],
    ["malformed credential", () => "%%%"],
    ["unknown credential", (name) => unknownCredential(src.credentials[name])],
  ];
  return variants.slice(0, src.maxCases).map(([defect, make], n) => {
    const credentials = Object.fromEntries(schemes.map((s) => [s.name, make(s.name)]));
    const request = buildRequest(src, op, { body, credentials });
    const names = schemes.map((s) => s.name).join("+");
    return singleCase(op, "auth", n, `${defect} (${names})`, request, { kind: "unauthorized", defect }, body);
  });
}
