import { hash, randomBytes, timingSafeEqual } from "node:crypto";

const POOL_SIZE = 4096;
let pool = randomBytes(POOL_SIZE);
let offset = 0;

/**
 * `bytes` random bytes as lower-case hex, from a CSPRNG. Drawn from a pooled buffer refilled by
 * crypto.randomBytes, so the hot path does not pay one call into OpenSSL per id.
 */
export function randomHex(bytes: number): string {
  if (offset + bytes > POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    offset = 0;
  }
  const out = pool.toString("hex", offset, offset + bytes);
  offset += bytes;
  return out;
}

// crypto.hash (one shot) costs half of createHash().update().digest(); it runs once per request.
const digest = (value: string) => hash("sha256", value, "buffer");

/**
 * Finds the entry whose secret equals `candidate` in constant time: both sides are hashed to
 * equal-length digests and every entry is compared with timingSafeEqual, with no early exit.
 */
export function secretMatcher<T>(
  entries: readonly { secret: string; value: T }[],
): (candidate: string) => T | undefined {
  const digests = entries.map((e) => ({ digest: digest(e.secret), value: e.value }));
  return (candidate) => {
    const d = digest(candidate);
    let found: T | undefined;
    for (const entry of digests)
      if (timingSafeEqual(entry.digest, d) && found === undefined) found = entry.value;
    return found;
  };
}

/** Constant-time equality of two secrets of any length. */
export function secretEquals(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}
