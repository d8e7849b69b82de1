import { formatProblem } from "../../schema/index.js";
import type { Check, Finding } from "../types.js";

/** Header values are strings on the wire; the declared schema may say integer or number. */
function coerce(schema: unknown, value: string): unknown {
  const type = (schema as Record<string, unknown> | undefined)?.type;
  const types = Array.isArray(type) ? type : [type];
  if ((types.includes("integer") || types.includes("number")) && /^-?\d+(\.\d+)?$/.test(value))
    return Number(value);
  if (types.includes("boolean") && /^(true|false)$/.test(value)) return value === "true";
  return value;
}

export const responseHeadersConformance: Check = {
  id: "response-headers-conformance",
  severity: "medium",
  description: "declared response headers are present when required and valid when present",
  run: ({ declared, response, validate }) => {
    if (!declared || declared.headers.length === 0) return { skip: "no response seen declares headers" };
    const findings: Finding[] = [];
    for (const header of declared.headers) {
      // OpenAPI: a Content-Type header definition is ignored.
      if (header.name.toLowerCase() === "content-type") continue;
      const value = response.headers[header.name.toLowerCase()];
      if (value === undefined) {
        if (header.required)
          findings.push({
            message: `required header ${header.name} is missing`,
            expected: `${header.name} present`,
            actual: "absent",
          });
        continue;
      }
      if (header.schema === undefined) continue;
      const problems = validate(header.schema, coerce(header.schema, value), header.name);
      if (problems.length)
        findings.push({
          message: `header ${problems.map(formatProblem).join("; ")}`,
          expected: "a schema-valid value",
          actual: value,
        });
    }
    return findings;
  },
};
