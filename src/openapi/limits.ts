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
