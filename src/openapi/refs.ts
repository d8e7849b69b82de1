import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { SpecError } from "./errors.js";
import { DEFAULT_SPEC_LIMITS, REMOTE_REFS_FLAG, type SpecLimits } from "./limits.js";
import { escapePointerToken, getAtPointer } from "./pointer.js";

const isRemote = (ref: string) => /^https?:\/\//i.test(ref);

/** Every `$ref` string of a document with the pointer of the object that holds it. */
export function refsOf(doc: unknown): { ref: string; pointer: string }[] {
  const out: { ref: string; pointer: string }[] = [];
  const stack: { node: unknown; pointer: string }[] = [{ node: doc, pointer: "" }];
  while (stack.length > 0) {
    const { node, pointer } = stack.pop() as { node: unknown; pointer: string };
    if (node === null || typeof node !== "object") continue;
    // Pushed in reverse, so refs come out in document order and the first loop found is the first written.
    for (const [key, value] of Object.entries(node).reverse()) {
      if (key === "$ref" && typeof value === "string") out.push({ ref: value, pointer });
      else stack.push({ node: value, pointer: `${pointer}/${escapePointerToken(key)}` });
    }
  }
  return out;
}

type Parse = (text: string, source: string) => Record<string, unknown>;

/**
 * Finds a `$ref` that leads only to other `$ref`s and comes back to itself (A → B → A): no schema,
 * parameter or response can ever be read from it, and bundlers fail on it with a stack trace.
 * Recursion *through* a schema (a tree whose children are trees) is legal and not reported. Local
 * files are followed; remote refs are not (they are refused or fetched by the bundler).
 */
export async function findRefCycle(doc: Record<string, unknown>, file: string, parse: Parse) {
  const docs = new Map<string, unknown>([[file, doc]]);
  const load = async (path: string) => {
    if (!docs.has(path)) {
      const text = await readFile(path, "utf8").catch(() => undefined);
      docs.set(path, text === undefined ? undefined : parse(text, path));
    }
    return docs.get(path);
  };
  for (const { ref, pointer } of refsOf(doc)) {
    const chain = [`#${pointer}`];
    const seen = new Set([`${file}#${pointer}`]);
    let base = file;
    let current: string | undefined = ref;
    while (current !== undefined && !isRemote(current) && chain.length <= 64) {
      const hash = current.indexOf("#");
      const path = hash === 0 ? base : resolve(dirname(base), hash === -1 ? current : current.slice(0, hash));
      const target = hash === -1 ? "" : decodeURIComponent(current.slice(hash + 1));
      const key = `${path}#${target}`;
      chain.push(path === file ? `#${target}` : current);
      if (seen.has(key)) return { pointer, chain };
      seen.add(key);
      const node = getAtPointer(await load(path), target);
      base = path;
      current =
        node !== null && typeof node === "object" && typeof (node as { $ref?: unknown }).$ref === "string"
          ? (node as { $ref: string }).$ref
          : undefined;
    }
  }
  return undefined;
}

export async function checkRefCycles(
  doc: Record<string, unknown>,
  file: string,
  source: string,
  parse: Parse,
) {
  const cycle = await findRefCycle(doc, file, parse);
  if (cycle) {
    throw new SpecError(
      `circular $ref: ${cycle.chain.join(" → ")} never reaches a schema or object`,
      source,
      cycle.pointer,
    );
  }
}

/** Reads a response body up to `max` bytes; more is an error, not a bigger buffer. */
async function boundedBody(response: Response, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  for (;;) {
    const chunk = await reader?.read();
    if (!chunk || chunk.done) break;
    size += chunk.value.length;
    if (size > max) {
      await reader?.cancel();
      throw new Error(`it is larger than ${max} bytes`);
    }
    chunks.push(Buffer.from(chunk.value));
  }
  return Buffer.concat(chunks);
}

/**
 * The fetch the bundler uses for remote `$ref`s: refused unless allowed, and then bounded in time
 * and size. Each refusal names the ref and the flag that allows it.
 */
export function remoteFetch(options: Partial<SpecLimits> = {}) {
  const limits = { ...DEFAULT_SPEC_LIMITS, ...options };
  return async (url: string | URL, init?: RequestInit): Promise<Response> => {
    const where = String(url);
    if (!limits.allowRemoteRefs) {
      throw new Error(
        `remote $ref ${where} is not fetched: specs are read offline; pass ${REMOTE_REFS_FLAG} to fetch it`,
      );
    }
    try {
      const signal = AbortSignal.timeout(limits.remoteTimeoutMs);
      const response = await fetch(url, { ...init, signal });
      const body = await boundedBody(response, limits.remoteMaxBytes);
      return new Response(body, { status: response.status, headers: response.headers });
    } catch (error) {
      const why =
        (error as Error).name === "TimeoutError"
          ? `no answer within ${limits.remoteTimeoutMs} ms`
          : ((error as Error & { cause?: Error }).cause?.message ?? (error as Error).message);
      throw new Error(`remote $ref ${where} (allowed by ${REMOTE_REFS_FLAG}): ${why}`);
    }
  };
}
