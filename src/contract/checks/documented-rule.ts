import { NOTES, type Operation, readNote } from "../../openapi/index.js";
import type { WireResponse } from "../types.js";

/** The strings of a JSON body's top level (where error envelopes keep their message), else the text. */
function messagesOf(response: WireResponse, json: () => unknown): string[] {
  const body = json();
  if (body && typeof body === "object" && !Array.isArray(body)) {
    return Object.values(body).filter((v): v is string => typeof v === "string");
  }
  return typeof body === "string" ? [body] : [response.body];
}

/**
 * The rule, among those the operation's `x-embedkit-rule-statuses` note documents with a status
 * and a message, that this refusal is: both the status and the message must match. A vendor rule
 * that the schema cannot express (a field allowed only with another, a name that must already
 * exist) refuses some schema-valid requests by design; a refusal with any other status or message
 * is still the service's own.
 */
export function documentedRule(
  operation: Operation,
  response: WireResponse,
  json: () => unknown,
): string | undefined {
  const note = readNote(NOTES.ruleStatuses, operation.extensions);
  if (!note?.messages) return undefined;
  const texts = messagesOf(response, json);
  for (const [rule, pattern] of Object.entries(note.messages)) {
    if (note.statuses[rule] !== response.status) continue;
    let re: RegExp;
    try {
      re = new RegExp(pattern);
    } catch {
      continue; // lint reports the bad pattern; here it simply documents nothing
    }
    if (texts.some((t) => re.test(t))) return rule;
  }
  return undefined;
}
