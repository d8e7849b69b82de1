import type { Rng } from "./prng.js";

/**
 * Strings that match a JSON Schema `pattern`. Covers what specs use: literals, escapes, classes,
 * groups, alternation and quantifiers. Lookarounds are not generated but kept by the final
 * `RegExp.test`: a draw that breaks one is thrown away and drawn again, so whatever this returns
 * does match, and an unsupported pattern yields `undefined` instead of a wrong value.
 */
type Node =
  | { t: "chars"; set: string[] }
  | { t: "seq"; items: Node[] }
  | { t: "alt"; options: Node[] }
  | { t: "rep"; node: Node; min: number; max: number }
  | { t: "none" };

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => String.fromCharCode(from + i));
const DIGITS = range(48, 57);
const WORD = [...range(97, 122), ...range(65, 90), ...DIGITS, "_"];
const SPACE = [" ", "\t"];
const PRINTABLE = range(32, 126);
const ESCAPES: Record<string, string[]> = {
  d: DIGITS,
  w: WORD,
  s: SPACE,
  D: PRINTABLE.filter((c) => !DIGITS.includes(c)),
  W: PRINTABLE.filter((c) => !WORD.includes(c)),
  S: PRINTABLE.filter((c) => !SPACE.includes(c)),
  n: ["\n"],
  t: ["\t"],
};
/** Unbounded quantifiers draw at most this many extra repetitions. */
const EXTRA = 4;

class Parser {
  i = 0;
  constructor(readonly src: string) {}

  parseAlt(): Node {
    const options = [this.parseSeq()];
    while (this.src[this.i] === "|") {
      this.i++;
      options.push(this.parseSeq());
    }
    return options.length === 1 ? (options[0] as Node) : { t: "alt", options };
  }

  parseSeq(): Node {
    const items: Node[] = [];
    while (this.i < this.src.length && this.src[this.i] !== "|" && this.src[this.i] !== ")") {
      items.push(this.parseQuantified(this.parseAtom()));
    }
    return { t: "seq", items };
  }

  parseQuantified(node: Node): Node {
    const c = this.src[this.i];
    let min = 1;
    let max = 1;
    if (c === "*" || c === "+" || c === "?") {
      this.i++;
      [min, max] = c === "*" ? [0, EXTRA] : c === "+" ? [1, 1 + EXTRA] : [0, 1];
    } else if (c === "{" && /^\{\d+(,\d*)?\}/.test(this.src.slice(this.i))) {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i)) as RegExpExecArray;
      this.i += m[0].length;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] ? Number(m[3]) : min + EXTRA;
    } else return node;
    if (this.src[this.i] === "?") this.i++; // lazy: same language
    return { t: "rep", node, min, max };
  }

  parseAtom(): Node {
    const c = this.src[this.i++] as string;
    if (c === "^" || c === "$") return { t: "none" };
    if (c === ".") return { t: "chars", set: PRINTABLE };
    if (c === "[") return this.parseClass();
    if (c === "\\") return { t: "chars", set: this.parseEscape() };
    if (c === "(") return this.parseGroup();
    return { t: "chars", set: [c] };
  }

  parseGroup(): Node {
    let lookaround = false;
    if (this.src[this.i] === "?") {
      const kind = this.src.slice(this.i, this.i + 3);
      lookaround = /^\?(=|!|<=|<!)/.test(kind);
      if (kind.startsWith("?<") && !lookaround) this.i = this.src.indexOf(">", this.i) + 1;
      else this.i += kind.startsWith("?<") ? 3 : 2;
    }
    const inner = this.parseAlt();
    if (this.src[this.i] !== ")") throw new Error("unbalanced group");
    this.i++;
    return lookaround ? { t: "none" } : inner;
  }

  parseEscape(): string[] {
    const e = this.src[this.i++] as string;
    return ESCAPES[e] ?? [e];
  }

  parseClass(): Node {
    const negate = this.src[this.i] === "^";
    if (negate) this.i++;
    const set = new Set<string>();
    let first = true;
    while (this.i < this.src.length && (this.src[this.i] !== "]" || first)) {
      first = false;
      let members = this.classAtom();
      if (this.src[this.i] === "-" && this.src[this.i + 1] !== "]" && members.length === 1) {
        this.i++;
        const to = this.classAtom();
        members = range((members[0] as string).charCodeAt(0), (to[0] as string).charCodeAt(0));
      }
      for (const m of members) set.add(m);
    }
    this.i++;
    const chars = negate ? PRINTABLE.filter((c) => !set.has(c)) : [...set];
    return { t: "chars", set: chars };
  }

  classAtom(): string[] {
    const c = this.src[this.i++] as string;
    return c === "\\" ? this.parseEscape() : [c];
  }
}

function emit(node: Node, rng: Rng): string {
  switch (node.t) {
    case "none":
      return "";
    case "chars":
      return node.set.length ? rng.pick(node.set) : "";
    case "seq":
      return node.items.map((n) => emit(n, rng)).join("");
    case "alt":
      return emit(rng.pick(node.options), rng);
    case "rep": {
      const n = rng.int(node.min, node.max);
      let out = "";
      for (let k = 0; k < n; k++) out += emit(node.node, rng);
      return out;
    }
  }
}

const parsed = new Map<string, Node | null>();

function parse(pattern: string): Node | null {
  if (!parsed.has(pattern)) {
    try {
      const p = new Parser(pattern);
      const node = p.parseAlt();
      parsed.set(pattern, p.i === pattern.length ? node : null);
    } catch {
      parsed.set(pattern, null);
    }
  }
  return parsed.get(pattern) ?? null;
}

/**
 * A string matching `pattern` (unanchored, as JSON Schema reads it), or undefined after `tries`
 * draws that all failed the real RegExp.
 */
export function stringMatching(pattern: string, rng: Rng, tries = 40): string | undefined {
  const node = parse(pattern);
  if (!node) return undefined;
  const re = new RegExp(pattern, "u");
  for (let k = 0; k < tries; k++) {
    const s = emit(node, rng);
    if (re.test(s)) return s;
  }
  return undefined;
}
