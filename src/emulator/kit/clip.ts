/** The mark a clipped value ends with; the redactor knows it, so a secret cut short is still hidden. */
export const CLIPPED = "…";

/**
 * Echoed input (a path, a branch name, a key id) is cut to `max` characters in messages. It must be
 * cut with this, not `slice`: the redactor then recognises a secret's prefix before the mark.
 */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}${CLIPPED}` : text;
}
