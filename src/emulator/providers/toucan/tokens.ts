import {
  decodeCompact,
  type IntrospectResult,
  IssuedTokens,
  JweTokens,
  judgeClaims,
  refused,
  signCompactJws,
  verifyCompactJws,
} from "../../kit/index.js";

export type ToucanTokenFormat = "jwe" | "jws";

const JWS_ALG = "HS256";

/**
 * Toucan's tokens in either form the spec's x-embedkit-token-format admits: a `dir`+`A256GCM` JWE,
 * as Toucan's security page says (https://docs.toucanai.cloud/govern/security-model/token-security),
 * or an HS256 JWS, as the example token in its docs is. Either way each API key has its own key.
 */
export class ToucanTokens {
  readonly #signed = new IssuedTokens();

  private constructor(
    private readonly format: ToucanTokenFormat,
    private readonly jwe: JweTokens,
    private readonly hmac: Map<string, Uint8Array>,
    private readonly now: () => number,
  ) {}

  static async create(
    format: ToucanTokenFormat,
    keys: [kid: string, bytes: Uint8Array][],
    now: () => number,
  ): Promise<ToucanTokens> {
    return new ToucanTokens(format, await JweTokens.create(keys, now), new Map(keys), now);
  }

  async mint(kid: string, claims: Record<string, unknown>): Promise<string> {
    if (this.format === "jwe") return this.jwe.mint(kid, claims);
    const key = this.hmac.get(kid);
    if (!key) throw new Error(`no key for kid ${kid}`);
    const token = signCompactJws({ alg: JWS_ALG, typ: "JWT", kid }, claims, key);
    this.#signed.add(token.slice(token.lastIndexOf(".") + 1));
    return token;
  }

  /** Five parts are a JWE, three a JWS; the algorithm is pinned either way. */
  async introspect(token: string): Promise<IntrospectResult> {
    if (token.trim().split(".").length === 5) return this.jwe.introspect(token);
    const decoded = decodeCompact(token, 3);
    if (!decoded) return refused("malformed");
    const { header, payload, segments } = decoded;
    if (header.alg !== JWS_ALG) return refused("tampered", header, payload);
    const ours = this.#signed.has(segments[2]);
    const key = typeof header.kid === "string" ? this.hmac.get(header.kid) : undefined;
    if (!key) return refused(ours ? "tampered" : "wrong-key", header, payload);
    const verified = verifyCompactJws(token, key, [JWS_ALG]);
    if (!verified.ok) return refused(ours ? "tampered" : "wrong-key", header, payload);
    const problem = judgeClaims(verified.payload, this.now());
    if (problem) return refused(problem, header, verified.payload);
    return { valid: true, header, claims: verified.payload };
  }

  clear(): void {
    this.jwe.issued.clear();
    this.#signed.clear();
  }
}
