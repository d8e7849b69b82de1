import { decryptCompactJwe, encryptCompactJwe } from "./compact-jwe.js";
import { decodeCompact, type IntrospectResult, IssuedTokens, judgeClaims, refused } from "./introspection.js";
import { parseJsonObject } from "./json-segment.js";

const ALG = "dir";
const ENC = "A256GCM";

/**
 * Compact JWE tokens, `alg: dir` + `enc: A256GCM`, one 256-bit key per `kid` (Explo's embed secrets,
 * Toucan's per-API-key keys), minted and introspected on node:crypto (see compact-jwe.ts); both
 * algorithms are pinned.
 */
export class JweTokens {
  readonly issued = new IssuedTokens();

  private constructor(
    private readonly keys: Map<string, Uint8Array>,
    private readonly now: () => number,
  ) {}

  static async create(
    keys: Iterable<[kid: string, bytes: Uint8Array]>,
    now: () => number,
  ): Promise<JweTokens> {
    const raw = new Map<string, Uint8Array>();
    for (const [kid, bytes] of keys) {
      if (bytes.length !== 32) throw new Error(`an A256GCM key is 32 bytes, got ${bytes.length}`);
      raw.set(kid, bytes);
    }
    return new JweTokens(raw, now);
  }

  has(kid: string): boolean {
    return this.keys.has(kid);
  }

  async mint(kid: string, claims: Record<string, unknown>): Promise<string> {
    const key = this.keys.get(kid);
    if (!key) throw new Error(`no key for kid ${kid}`);
    const token = encryptCompactJwe({ alg: ALG, enc: ENC, kid }, JSON.stringify(claims), key);
    this.issued.add(token.split(".")[2] ?? "");
    return token;
  }

  async introspect(token: string): Promise<IntrospectResult> {
    const decoded = decodeCompact(token, 5);
    if (!decoded) return refused("malformed");
    const { header, segments } = decoded;
    const ours = this.issued.has(segments[2]);
    if (header.alg !== ALG || header.enc !== ENC) return refused("tampered", header);
    const key = typeof header.kid === "string" ? this.keys.get(header.kid) : undefined;
    if (!key) return refused(ours ? "tampered" : "wrong-key", header);
    const out = decryptCompactJwe(token.trim(), key);
    if (!out.ok) {
      const reason = out.reason === "decryption failed" ? (ours ? "tampered" : "wrong-key") : "malformed";
      return refused(reason, header);
    }
    const claims = parseJsonObject(out.plaintext);
    if (!claims) return refused("malformed", header);
    const problem = judgeClaims(claims, this.now());
    return problem ? refused(problem, header, claims) : { valid: true, header, claims };
  }
}
