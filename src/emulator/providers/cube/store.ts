import { type Clock, randomHex } from "../../kit/index.js";

/** An end user, upserted by trimmed lower-case externalId. */
interface ExternalUser {
  externalId: string;
  email: string | undefined;
  createdAt: number;
  lastSessionAt: number;
  sessions: number;
}

/** An unexchanged session; `claims` are what its token will carry (only what the request gave). */
export interface Session {
  id: string;
  deploymentId: number;
  createdAt: number;
  claims: Record<string, unknown>;
}

export type CreateOutcome = { session: Session } | { limit: "users" | "sessions" };

const LISTED = 100;

/**
 * Cube's sessions and users. Every state change is synchronous, with no await between the check
 * and the write, so a session is redeemed exactly once however many requests race for it.
 */
export class CubeStore {
  readonly sessions = new Map<string, Session>();
  readonly users = new Map<string, ExternalUser>();
  /** Revoked session id → when; kept as long as a token minted from it could still be valid. */
  readonly revoked = new Map<string, number>();
  counters = { created: 0, exchanged: 0, revoked: 0, refusedExchanges: 0 };

  constructor(
    private readonly clock: Clock,
    private readonly limits: {
      sessionTtlMs: number;
      tokenTtlMs: number;
      maxUsers: number;
      maxSessions: number;
    },
  ) {}

  create(
    deploymentId: number,
    externalId: string | undefined,
    claims: Record<string, unknown>,
  ): CreateOutcome {
    const now = this.clock.now();
    this.#sweepFront(now);
    if (this.sessions.size >= this.limits.maxSessions) return { limit: "sessions" };
    if (externalId !== undefined && !this.#upsertUser(externalId, claims.email, now))
      return { limit: "users" };
    const session: Session = { id: randomHex(16), deploymentId, createdAt: now, claims };
    this.sessions.set(session.id, session);
    this.counters.created += 1;
    return { session };
  }

  #upsertUser(externalId: string, email: unknown, now: number): boolean {
    const user = this.users.get(externalId);
    if (user) {
      user.lastSessionAt = now;
      user.sessions += 1;
      if (typeof email === "string") user.email = email;
      return true;
    }
    if (this.users.size >= this.limits.maxUsers) return false;
    this.users.set(externalId, {
      externalId,
      email: typeof email === "string" ? email : undefined,
      createdAt: now,
      lastSessionAt: now,
      sessions: 1,
    });
    return true;
  }

  /** Takes the session out for its one exchange; undefined when unknown, used, revoked or expired. */
  redeem(id: string): Session | undefined {
    const session = this.sessions.get(id);
    if (!session) {
      this.counters.refusedExchanges += 1;
      return undefined;
    }
    this.sessions.delete(id);
    if (this.clock.now() >= session.createdAt + this.limits.sessionTtlMs) {
      this.counters.refusedExchanges += 1;
      return undefined;
    }
    this.counters.exchanged += 1;
    return session;
  }

  /** Idempotent; also records ids never seen here, so tokens minted from them are refused too. */
  revoke(id: string): void {
    this.sessions.delete(id);
    if (!this.revoked.has(id)) this.counters.revoked += 1;
    this.revoked.set(id, this.clock.now());
  }

  isRevoked(id: unknown): boolean {
    return typeof id === "string" && this.revoked.has(id);
  }

  /** Expired sessions are in creation order at the front of the map: stop at the first live one. */
  #sweepFront(now: number): void {
    for (const session of this.sessions.values()) {
      if (now < session.createdAt + this.limits.sessionTtlMs) break;
      this.sessions.delete(session.id);
    }
  }

  sweep(): void {
    const now = this.clock.now();
    for (const s of this.sessions.values())
      if (now >= s.createdAt + this.limits.sessionTtlMs) this.sessions.delete(s.id);
    for (const [id, at] of this.revoked) if (now >= at + this.limits.tokenTtlMs) this.revoked.delete(id);
  }

  reset(): void {
    this.sessions.clear();
    this.users.clear();
    this.revoked.clear();
    this.counters = { created: 0, exchanged: 0, revoked: 0, refusedExchanges: 0 };
  }

  /** What `/__embedkit/state` shows: session ids are credentials, so only their first 8 characters. */
  snapshot(): Record<string, unknown> {
    const iso = (ms: number) => new Date(ms).toISOString();
    const sessions = [...this.sessions.values()].slice(-LISTED).map((s) => ({
      sessionIdPrefix: `${s.id.slice(0, 8)}…`,
      deploymentId: s.deploymentId,
      externalId: s.claims.externalId,
      createdAt: iso(s.createdAt),
      expiresAt: iso(s.createdAt + this.limits.sessionTtlMs),
    }));
    const users = [...this.users.values()].slice(-LISTED).map((u) => ({
      externalId: u.externalId,
      email: u.email,
      sessions: u.sessions,
      createdAt: iso(u.createdAt),
      lastSessionAt: iso(u.lastSessionAt),
    }));
    return {
      counts: {
        activeSessions: this.sessions.size,
        users: this.users.size,
        revokedSessions: this.revoked.size,
      },
      counters: { ...this.counters },
      sessions,
      users,
    };
  }
}
