import { jwtDecrypt } from "jose";
import { encryptCompactJwe } from "./compact-jwe.js";
import {
  type CryptoKey,
  claimsOf,
  decodeCompact,
  type IntrospectResult,
  IssuedTokens,
  importAesKey,
  reasonOf,
  refused,
} from "./introspection.js";

const ALG = "dir";
const ENC = "A256GCM";

/**
 * Compact JWE tokens, `alg: dir` + `enc: A256GCM`, one 256-bit key per `kid` (Explo's embed secrets,
 * Toucan's per-API-key keys). Keys are imported once; introspection pins both algorithms.
 */
export class JweTokens {
  readonly issued = new IssuedTokens();

  private constructor(
    /** For introspection, through jose. */
    private readonly keys: Map<string, CryptoKey>,
    /** For minting, through node:crypto: the hot path (see compact-jwe.ts). */
    private readonly raw: Map<string, Uint8Array>,
    private readonly now: () => number,
  ) {}

  static async create(
    keys: Iterable<[kid: string, bytes: Uint8Array]>,
    now: () => number,
  ): Promise<JweTokens> {
    const imported = new Map<string, CryptoKey>();
    const raw = new Map<string, Uint8Array>();
    for (const [kid, bytes] of keys) {
      imported.set(kid, await importAesKey(bytes));
      raw.set(kid, bytes);
    }
    return new JweTokens(imported, raw, now);
  }

  has(kid: string): boolean {
    return this.keys.has(kid);
  }

  async mint(kid: string, claims: Record<string, unknown>): Promise<string> {
    const key = this.raw.get(kid);
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
    try {
      const { payload } = await jwtDecrypt(token.trim(), key, {
        keyManagementAlgorithms: [ALG],
        contentEncryptionAlgorithms: [ENC],
        currentDate: new Date(this.now()),
      });
      return { valid: true, header, claims: payload as Record<string, unknown> };
    } catch (error) {
      return refused(reasonOf(error, ours), header, claimsOf(error));
    }
  }
}
