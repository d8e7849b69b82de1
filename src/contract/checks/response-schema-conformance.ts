import { formatProblem } from "../../schema/index.js";
import type { Check } from "../types.js";
import { isJsonMedia, mediaMatches, mediaType, summarise } from "./declared.js";

/** The first few problems and a count: one message of 7,901 characters helps nobody. */
function capped(problems: string[], first = 3): string {
  const shown = problems.slice(0, first).map((p) => summarise(p, 160));
  const more = problems.length - shown.length;
  return `${shown.join("; ")}${more > 0 ? `; and ${more} more problem(s)` : ""}`;
}

export const responseSchemaConformance: Check = {
  id: "response-schema-conformance",
  severity: "high",
  description: "a JSON body validates against the declared response schema",
  run: ({ declared, response, json, validate }) => {
    if (!declared) return "skip";
    const actual = mediaType(response.headers["content-type"]);
    const media = Object.values(declared.content).find((m) => mediaMatches(m.contentType, actual));
    if (!media || media.schema === undefined || !isJsonMedia(actual)) return "skip";
    const body = json();
    if (body === undefined) {
      return [
        {
          message: "the body is not JSON",
          expected: `JSON for ${media.contentType}`,
          actual: summarise(response.body) || "(empty)",
        },
      ];
    }
    const problems = validate(media.schema, body, "body");
    if (problems.length === 0) return [];
    return [
      {
        message: `the ${response.status} body breaks its schema: ${capped(problems.map(formatProblem))}`,
        expected: media.schemaPointer ? `a body valid against ${media.schemaPointer}` : "a schema-valid body",
        actual: summarise(response.body),
      },
    ];
  },
};
