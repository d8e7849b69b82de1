import { SignJWT } from "jose";
import { type CryptoKey, importHmacKey } from "../../kit/index.js";

/**
 * Cube API tokens for a deployment's data APIs (`POST /v1/deployments/{id}/token`): HS256 with the
 * tenant's secret, carrying the embed user's security context as Cube's data API expects it. No
 * session id: revoking the embed session later does not affect them (Cube's changelog, v0.6.0).
 */
export class CubeApiTokens {
  private constructor(
    private readonly key: CryptoKey,
    private readonly now: () => number,
  ) {}

  static async create(secret: string, now: () => number): Promise<CubeApiTokens> {
    return new CubeApiTokens(await importHmacKey(new TextEncoder().encode(secret)), now);
  }

  async mint(deploymentId: number, securityContext: unknown, expiresIn: number): Promise<string> {
    const iat = Math.floor(this.now() / 1000);
    const context = securityContext !== null && typeof securityContext === "object" ? securityContext : {};
    return new SignJWT({ ...context, deploymentId })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuedAt(iat)
      .setExpirationTime(iat + expiresIn)
      .sign(this.key);
  }
}
