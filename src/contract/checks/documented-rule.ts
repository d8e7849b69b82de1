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
 * Each note's patterns compiled once per loaded spec, not once per refusal: the note object is the
 * spec's own, so it keys the cache for as long as the spec lives. A pattern that does not compile
 * documents nothing (undefined).
 */
const compiled = new WeakMap<Record<string, string>, Map<string, RegExp | undefined>>();

function patternsOf(messages: Record<string, string>): Map<string, RegExp | undefined> {
  let patterns = compiled.get(messages);
  if (!patterns) {
    patterns = new Map();
    for (const [rule, pattern] of Object.entries(messages)) {
      try {
        patterns.set(rule, new RegExp(pattern));
      } catch {
        patterns.set(rule, undefined);
      }
    }
    compiled.set(messages, patterns);
  }
  return patterns;
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
  for (const [rule, re] of patternsOf(note.messages)) {
    if (re && note.statuses[rule] === response.status && texts.some((t) => re.test(t))) return rule;
  }
  return undefined;
}
