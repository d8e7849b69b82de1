import { jwtVerify } from "jose";
import {
  type CryptoKey,
  claimsOf,
  decodeCompact,
  type IntrospectResult,
  IssuedTokens,
  importHmacKey,
  randomHex,
  reasonOf,
  refused,
  signCompactJwsHs256,
} from "../../kit/index.js";
import type { CubeStore, Session } from "./store.js";

export const CUBE_ISSUER = "cubecloud";
const ALG = "HS256";
const HEADER = { alg: ALG, typ: "JWT" };

/**
 * Cube's embed tokens: HS256 JWS signed with the tenant's embed secret, `iss: cubecloud`, 24 hours
 * (https://docs.cube.dev/api-reference/embed/exchange-a-session-for-an-embed-token). The algorithm
 * and the claim names are our choice (the spec's x-embedkit-token note).
 */
export class CubeTokens {
  readonly issued = new IssuedTokens();

  private constructor(
    private readonly key: CryptoKey,
    private readonly secret: Uint8Array,
    private readonly store: CubeStore,
    private readonly now: () => number,
    private readonly ttlSeconds: number,
  ) {}

  static async create(secret: string, store: CubeStore, now: () => number, ttlSeconds: number) {
    const bytes = new TextEncoder().encode(secret);
    return new CubeTokens(await importHmacKey(bytes), bytes, store, now, ttlSeconds);
  }

  /**
   * Signed on node:crypto (src/tokens/compact-jws.ts): jose's WebCrypto HMAC was most of an
   * exchange's cost. Verification below stays with jose, so every token we mint is checked by it.
   */
  mint(session: Session): string {
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
    const token = signCompactJwsHs256(HEADER, claims, this.secret);
    this.issued.add(jti, token.slice(token.lastIndexOf(".") + 1));
    return token;
  }

  /** Valid, or why not; the algorithm is pinned, so `alg: none` and algorithm confusion read as tampered. */
  async introspect(token: string): Promise<IntrospectResult> {
    const decoded = decodeCompact(token, 3);
    if (!decoded) return refused("malformed");
    const { header, payload, segments } = decoded;
    if (header.alg !== ALG) return refused("tampered", header, payload);
    try {
      const verified = await jwtVerify(token.trim(), this.key, {
        algorithms: [ALG],
        issuer: CUBE_ISSUER,
        currentDate: new Date(this.now()),
      });
      const claims = verified.payload as Record<string, unknown>;
      if (await this.store.isRevoked(claims.sid)) return refused("revoked", header, claims);
      return { valid: true, header, claims };
    } catch (error) {
      const ours = this.issued.has(payload?.jti as string | undefined) || this.issued.has(segments[2]);
      return refused(reasonOf(error, ours), header, claimsOf(error) ?? payload);
    }
  }
}
