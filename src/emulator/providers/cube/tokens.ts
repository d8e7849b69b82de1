import {
  decodeCompact,
  type IntrospectResult,
  IssuedTokens,
  judgeClaims,
  randomHex,
  refused,
  signCompactJws,
  verifyCompactJws,
} from "../../kit/index.js";
import type { CubeStore, Session } from "./store.js";

export const CUBE_ISSUER = "cubecloud";
const ALG = "HS256";

/**
 * Cube's embed tokens: HS256 JWS signed with the tenant's embed secret, `iss: cubecloud`, 24 hours
 * (https://docs.cube.dev/api-reference/embed/exchange-a-session-for-an-embed-token). The algorithm
 * and the claim names are our choice (the spec's x-embedkit-token note).
 */
export class CubeTokens {
  readonly issued = new IssuedTokens();

  private constructor(
    private readonly key: Uint8Array,
    private readonly store: CubeStore,
    private readonly now: () => number,
    private readonly ttlSeconds: number,
  ) {}

  static async create(secret: string, store: CubeStore, now: () => number, ttlSeconds: number) {
    return new CubeTokens(new TextEncoder().encode(secret), store, now, ttlSeconds);
  }

  async mint(session: Session): Promise<string> {
    const iat = Math.floor(this.now() / 1000);
    const jti = randomHex(16);
    const claims = {
      ...session.claims,
      sid: session.id,
      iss: CUBE_ISSUER,
      jti,
      iat,
      exp: iat + this.ttlSeconds,
    };
    const token = signCompactJws({ alg: ALG, typ: "JWT" }, claims, this.key);
    this.issued.add(jti, token.slice(token.lastIndexOf(".") + 1));
    return token;
  }

  /** Valid, or why not; the algorithm is pinned, so `alg: none` and algorithm confusion read as tampered. */
  async introspect(token: string): Promise<IntrospectResult> {
    const decoded = verifyCompactJws(token, this.key, [ALG]);
    if (!decoded.ok) {
      const { header } = decoded;
      if (!header) return refused("malformed");
      const payload = decodeCompact(token, 3)?.payload;
      if (!payload) return refused("malformed");
      if (header.alg !== ALG) return refused("tampered", header, payload);
      const ours =
        this.issued.has(payload?.jti as string | undefined) || this.issued.has(token.split(".")[2]);
      const reason = decoded.reason === "signature" ? (ours ? "tampered" : "wrong-key") : "malformed";
      return refused(reason, header, payload);
    }
    const { header, payload: claims } = decoded;
    const problem = judgeClaims(claims, this.now(), CUBE_ISSUER);
    if (problem) return refused(problem, header, claims);
    if (await this.store.isRevoked(claims.sid)) return refused("revoked", header, claims);
    return { valid: true, header, claims };
  }
}
