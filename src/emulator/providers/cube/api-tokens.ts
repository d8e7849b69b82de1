import { signCompactJws } from "../../kit/index.js";

/**
 * Cube API tokens for a deployment's data APIs (`POST /v1/deployments/{id}/token`): HS256 with the
 * tenant's secret, carrying the embed user's security context as Cube's data API expects it. No
 * session id: revoking the embed session later does not affect them (Cube's changelog, v0.6.0).
 */
export class CubeApiTokens {
  private constructor(
    private readonly key: Uint8Array,
    private readonly now: () => number,
  ) {}

  static create(secret: string, now: () => number): CubeApiTokens {
    return new CubeApiTokens(new TextEncoder().encode(secret), now);
  }

  mint(deploymentId: number, securityContext: unknown, expiresIn: number): string {
    const iat = Math.floor(this.now() / 1000);
    const context = securityContext !== null && typeof securityContext === "object" ? securityContext : {};
    const claims = { ...context, deploymentId, iat, exp: iat + expiresIn };
    return signCompactJws({ alg: "HS256", typ: "JWT" }, claims, this.key);
  }
}
