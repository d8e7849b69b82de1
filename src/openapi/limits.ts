import { SpecError } from "./errors.js";

/**
 * How far a spec may reach and grow while it is read. A spec is input like any other: a YAML alias
 * bomb or a remote `$ref` to a host that never answers must end in a clear error, not in gigabytes
 * of memory or a hang.
 */
export interface SpecLimits {
  /** Bigger files are refused before they are parsed (GitHub's REST description is ~13 MB). */
  maxDocumentBytes: number;
  /**
   * Nodes of the document once YAML aliases are expanded, at most this many or `aliasFactor` times
   * the nodes written, whichever is larger: an alias shares its node, but every walk that follows
   * (bundling, normalising, linting) visits it once per alias.
   */
  maxExpandedNodes: number;
  /**
   * Bytes the text would have with every alias written out, as estimated from the text before it is
   * parsed (prescanAliases): at most this or `aliasFactor` times the bytes written. The YAML parser
   * takes seconds a megabyte, so a bomb must be refused before it runs.
   */
  maxExpandedBytes: number;
  aliasFactor: number;
  /** Remote `$ref`s (http, https) are fetched only when allowed: specs are read offline by default. */
  allowRemoteRefs: boolean;
  /** Per remote document, when fetching is allowed. */
  remoteTimeoutMs: number;
  remoteMaxBytes: number;
}

export const DEFAULT_SPEC_LIMITS: SpecLimits = {
  maxDocumentBytes: 64 * 1024 * 1024,
  maxExpandedNodes: 2_000_000,
  maxExpandedBytes: 32 * 1024 * 1024,
  aliasFactor: 10,
  allowRemoteRefs: false,
  remoteTimeoutMs: 10_000,
  remoteMaxBytes: 16 * 1024 * 1024,
};

/** The flag that lets `embedkit test` and `embedkit lint` fetch remote `$ref`s. */
export const REMOTE_REFS_FLAG = "--allow-remote-refs";

const children = (node: object): unknown[] => (Array.isArray(node) ? node : Object.values(node));

/** Values as written: each distinct object or array once, with its entries. */
function writtenNodes(root: unknown): number {
  const seen = new Set<object>();
  let count = 1;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== "object" || seen.has(node)) continue;
    seen.add(node);
    const entries = children(node);
    count += entries.length;
    for (const v of entries) stack.push(v);
  }
  return count;
}

/** Values a walk that follows every alias visits, stopping as soon as `limit` is passed. */
function expandedNodesUpTo(root: unknown, limit: number): number {
  let count = 0;
  const stack: unknown[] = [root];
  while (stack.length > 0 && count <= limit) {
    const node = stack.pop();
    count += 1;
    if (node !== null && typeof node === "object") for (const v of children(node)) stack.push(v);
  }
  return count;
}

/** Throws a SpecError when the document's aliases expand it beyond the limits. */
export function checkExpansion(doc: unknown, source: string, limits: SpecLimits): void {
  const written = writtenNodes(doc);
  const limit = Math.max(limits.maxExpandedNodes, written * limits.aliasFactor);
  const expanded = expandedNodesUpTo(doc, limit);
  if (expanded > limit) {
    throw new SpecError(
      `YAML aliases expand the document beyond ${limit} nodes (${written} written): ` +
        "refused as an alias bomb; write the repeated parts once and $ref them",
      source,
    );
  }
}

export function checkDocumentSize(bytes: number, source: string, limits: SpecLimits): void {
  if (bytes > limits.maxDocumentBytes) {
    throw new SpecError(
      `the document is ${bytes} bytes, over the limit of ${limits.maxDocumentBytes} bytes`,
      source,
    );
  }
}

/** An anchor (`&name`) or alias (`*name`) where YAML allows one: after a separator or at a line start. */
const NODE_PROPERTY = /(?:^|[\s[{,])([&*])([^\s,[\]{}]+)/gm;

const lineEndAt = (text: string, i: number) => {
  const end = text.indexOf("\n", i);
  return end === -1 ? text.length : end;
};

const skipSpaces = (text: string, i: number, end: number) => {
  let j = i;
  while (j < end && text.charCodeAt(j) === 32) j++;
  return j;
};

/**
 * Where a block node that starts on the line at `lineStart` ends: the following lines that are blank
 * or more indented, and a `- ` sequence at the same indentation under a mapping key (YAML allows it).
 */
function blockEnd(text: string, lineStart: number): number {
  const lineEnd = lineEndAt(text, lineStart);
  const first = skipSpaces(text, lineStart, lineEnd);
  const indent = first - lineStart;
  const dashHere = text[first] === "-" && (first + 1 === lineEnd || text[first + 1] === " ");
  let end = lineEnd;
  while (end < text.length) {
    const next = end + 1;
    const nextEnd = lineEndAt(text, next);
    const lead = skipSpaces(text, next, nextEnd);
    const blank = lead === nextEnd || text[lead] === "#" || text[lead] === "\r";
    const sequence =
      !dashHere && lead - next === indent && text[lead] === "-" && /[ \r\n]/.test(text[lead + 1] ?? "\n");
    if (!(blank || lead - next > indent || sequence)) break;
    end = nextEnd;
  }
  return end;
}

/** Matching brackets, in one pass (quotes are not tracked: an estimate). */
function bracketPairs(text: string): Map<number, number> {
  const pairs = new Map<number, number>();
  const stack: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 91 || c === 123) stack.push(i);
    else if (c === 93 || c === 125) {
      const open = stack.pop();
      if (open !== undefined) pairs.set(open, i + 1);
    }
  }
  return pairs;
}

interface Anchor {
  start: number;
  /** Where its node ends; computed when an alias first needs it. */
  end?: number;
  size?: number;
}

/**
 * Estimates from the text alone how many characters the document would have with every alias
 * written out, and refuses a bomb before the YAML parser runs: the parser takes seconds a megabyte
 * on this kind of machine, so a 1 MB bomb could not otherwise be refused in well under a second. An
 * alias weighs what its anchor's node does (its text, plus the aliases inside it); where a node ends
 * is read from indentation and brackets, not by parsing YAML. checkExpansion after parsing stays the
 * exact guard; this one only has to be cheap (one pass, plus the spans of anchors that are used).
 */
export function prescanAliases(text: string, source: string, limits: SpecLimits): void {
  if (!text.includes("*") || !text.includes("&")) return;
  const limit = Math.max(limits.maxExpandedBytes, limits.aliasFactor * text.length);
  const latest = new Map<string, Anchor>();
  /** Positions of the aliases seen so far, and the sum of their weights before each one. */
  const positions: number[] = [];
  const before: number[] = [0];
  let pairs: Map<number, number> | undefined;
  const blocks = new Map<number, number>();
  const endOf = (anchor: Anchor, nameLength: number): number => {
    const lineEnd = lineEndAt(text, anchor.start);
    const after = skipSpaces(text, anchor.start + 1 + nameLength, lineEnd);
    if (text[after] === "[" || text[after] === "{") {
      pairs ??= bracketPairs(text);
      return pairs.get(after) ?? text.length;
    }
    const lineStart = text.lastIndexOf("\n", anchor.start) + 1;
    let end = blocks.get(lineStart);
    if (end === undefined) {
      end = blockEnd(text, lineStart);
      blocks.set(lineStart, end);
    }
    return end;
  };
  /** How many aliases lie before `position`. */
  const aliasesBefore = (position: number) => {
    let lo = 0;
    let hi = positions.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((positions[mid] as number) < position) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  let total = text.length;
  NODE_PROPERTY.lastIndex = 0;
  for (let m = NODE_PROPERTY.exec(text); m !== null; m = NODE_PROPERTY.exec(text)) {
    const name = m[2] as string;
    const at = m.index + m[0].length - name.length - 1;
    if (m[1] === "&") {
      latest.set(name, { start: at });
      continue;
    }
    const target = latest.get(name);
    if (!target) continue;
    target.end ??= endOf(target, name.length);
    let weight: number;
    if (target.end > at) {
      // An alias inside its own anchor's node (not valid YAML): only the text so far.
      weight = at - target.start;
    } else {
      target.size ??=
        target.end -
        target.start +
        ((before[aliasesBefore(target.end)] as number) - (before[aliasesBefore(target.start)] as number));
      weight = target.size;
    }
    positions.push(at);
    before.push((before[before.length - 1] as number) + weight);
    total += weight;
    if (total > limit) {
      throw new SpecError(
        `YAML aliases expand the document beyond ${limit} characters (${text.length} written, ` +
          "estimated before parsing): refused as an alias bomb; write the repeated parts once and $ref them",
        source,
      );
    }
  }
}
