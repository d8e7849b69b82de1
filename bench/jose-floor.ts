import { randomBytes } from "node:crypto";
import { EncryptJWT, SignJWT } from "jose";

export interface JoseFloor {
  jwsHs256PerSecond: number;
  jweDirA256gcmPerSecond: number;
}

async function rate(seconds: number, op: () => Promise<unknown>): Promise<number> {
  const end = performance.now() + seconds * 1000;
  let n = 0;
  // Batches of 64 keep the loop's own cost out of the figure.
  while (performance.now() < end) {
    await Promise.all(Array.from({ length: 64 }, op));
    n += 64;
  }
  return n / seconds;
}

/**
 * How fast jose alone signs an HS256 JWS and encrypts a dir+A256GCM JWE with claims the size of
 * ours, in this process: the floor for token-minting endpoints, where crypto is the cost.
 */
export async function measureJoseFloor(seconds: number): Promise<JoseFloor> {
  const hmacKey = new TextEncoder().encode("cube-dev-embed-secret-0123456789abcdef");
  const aesKey = randomBytes(32);
  const claims = {
    sid: randomBytes(16).toString("hex"),
    deploymentId: 32,
    externalId: "user@example.com",
    groups: ["a"],
  };
  return {
    jwsHs256PerSecond: await rate(seconds, () =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: "HS256" })
        .setIssuer("cubecloud")
        .setIssuedAt()
        .setExpirationTime("24h")
        .sign(hmacKey),
    ),
    jweDirA256gcmPerSecond: await rate(seconds, () =>
      new EncryptJWT({ cst: "customer_1", dsh: "abcde" })
        .setProtectedHeader({ alg: "dir", enc: "A256GCM", kid: "k" })
        .setIssuedAt()
        .setExpirationTime("24h")
        .encrypt(aesKey),
    ),
  };
}
