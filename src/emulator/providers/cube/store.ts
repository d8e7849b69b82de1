import {
  type Clock,
  type Collection,
  type Counters,
  randomHex,
  StateBudgetFullError,
  type Store,
} from "../../kit/index.js";
import { type CatalogSeed, CubeCatalog } from "./catalog.js";

/** An unexchanged session; `claims` are what its token will carry (only what the request gave). */
export interface Session {
  id: string;
  deploymentId: number;
  createdAt: number;
  claims: Record<string, unknown>;
}

export type CreateOutcome = { session: Session } | { limit: "users" | "sessions" | "budget" };

const LISTED = 100;

/**
 * Cube's sessions, users and revocations, written once against the store interface: in memory or
 * in Redis, a session is taken exactly once (an atomic take, never a read-then-delete) and the user
 * limit holds exactly however many requests race, on however many replicas.
 */
export class CubeStore {
  readonly #sessions: Collection;
  readonly #users: Collection;
  /** Revoked session id → when; kept as long as a token minted from it could still be valid. */
  readonly #revoked: Collection;
  readonly #counters: Counters;
  /**
   * Groups and attribute definitions, tenant-wide and per embed tenant. In this process's memory,
   * not in the shared store: with several replicas on one Redis, each starts from the config's seed.
   */
  readonly catalog: CubeCatalog;

  constructor(
    store: Store,
    private readonly clock: Clock,
    private readonly limits: {
      sessionTtlMs: number;
      tokenTtlMs: number;
      maxUsers: number;
      maxSessions: number;
    },
    seed: CatalogSeed = { groups: [], userAttributes: [], embedTenants: [] },
    catalogBytes = Number.POSITIVE_INFINITY,
  ) {
    this.catalog = new CubeCatalog(seed, catalogBytes);
    this.#sessions = store.collection("sessions", { expiring: true });
    this.#users = store.collection("users", { expiring: false });
    this.#revoked = store.collection("revoked", { expiring: true });
    this.#counters = store.counters("cube");
  }

  /**
   * A write the state budget may refuse (StateBudgetFullError): when it does, what expired is swept
   * and the write tried once more; "budget" when there is still no room.
   */
  async #withRoom<T>(write: () => Promise<T>): Promise<T | "budget"> {
    try {
      return await write();
    } catch (error) {
      if (!(error instanceof StateBudgetFullError)) throw error;
    }
    await this.sweep();
    try {
      return await write();
    } catch (error) {
      if (!(error instanceof StateBudgetFullError)) throw error;
      return "budget";
    }
  }

  /**
   * The session is inserted first (the cap of live sessions and the budget are checked there), then
   * the user is upserted; a user over the limit or the budget takes the session back out, so no
   * refused request leaves state.
   */
  async create(
    deploymentId: number,
    externalId: string | undefined,
    claims: Record<string, unknown>,
  ): Promise<CreateOutcome> {
    const now = this.clock.now();
    const session: Session = { id: randomHex(16), deploymentId, createdAt: now, claims };
    const expiresAt = now + this.limits.sessionTtlMs;
    const cap = this.limits.maxSessions;
    const inserted = await this.#withRoom(() =>
      this.#sessions.insert(session.id, { ...session }, { now, expiresAt, cap }),
    );
    if (inserted !== true) return { limit: inserted === "budget" ? "budget" : "sessions" };
    if (externalId !== undefined) {
      const user = await this.#withRoom(() => this.#upsertUser(externalId, claims.email, now));
      if (user === "full" || user === "budget") {
        await this.#sessions.remove(session.id);
        return { limit: user === "full" ? "users" : "budget" };
      }
    }
    this.#counters.add("created");
    return { session };
  }

  #upsertUser(externalId: string, email: unknown, now: number) {
    const mail = typeof email === "string" ? { email } : {};
    const create = { externalId, ...mail, createdAt: now, lastSessionAt: now, sessions: 1 };
    const change = { create, set: { lastSessionAt: now, ...mail }, incr: { sessions: 1 } };
    return this.#users.upsert(externalId, change, { now, cap: this.limits.maxUsers });
  }

  /** The deployment of a live session, so revoke can answer 403 where embedding is off. */
  async deploymentOf(id: string): Promise<number | undefined> {
    const session = await this.#sessions.get(id);
    return typeof session?.deploymentId === "number" ? session.deploymentId : undefined;
  }

  /** Takes the session out for its one exchange; undefined when unknown, used, revoked or expired. */
  async redeem(id: string): Promise<Session | undefined> {
    const session = (await this.#sessions.take(id)) as Session | undefined;
    // Expiry is decided on the emulator's clock; a store's own TTL only reclaims memory.
    if (!session || this.clock.now() >= session.createdAt + this.limits.sessionTtlMs) {
      this.#counters.add("refusedExchanges");
      return undefined;
    }
    this.#counters.add("exchanged");
    return session;
  }

  /**
   * Idempotent; also records ids never seen here, so tokens minted from them are refused too. A
   * revocation is kept only as long as a token it affects can live (tokenTtl after it); false when
   * the state budget has no room for it.
   */
  async revoke(id: string): Promise<boolean> {
    const now = this.clock.now();
    await this.#sessions.remove(id);
    const expiresAt = now + this.limits.tokenTtlMs;
    const fresh = await this.#withRoom(() => this.#revoked.put(id, { id, at: now }, { now, expiresAt }));
    if (fresh === "budget") return false;
    if (fresh) this.#counters.add("revoked");
    return true;
  }

  async isRevoked(id: unknown): Promise<boolean> {
    if (typeof id !== "string") return false;
    const entry = await this.#revoked.get(id);
    return entry !== undefined && this.clock.now() < Number(entry.at) + this.limits.tokenTtlMs;
  }

  async sweep(): Promise<void> {
    const now = this.clock.now();
    await Promise.all([this.#sessions.sweep(now), this.#revoked.sweep(now)]);
  }

  /** What `/__embedkit/state` shows: session ids are credentials, so only their first 8 characters. */
  async snapshot(): Promise<Record<string, unknown>> {
    const now = this.clock.now();
    const iso = (ms: unknown) => new Date(Number(ms)).toISOString();
    const [activeSessions, users, revokedSessions, counters, latestSessions, latestUsers] = await Promise.all(
      [
        this.#sessions.count(now),
        this.#users.count(now),
        this.#revoked.count(now),
        this.#counters.read(),
        this.#sessions.latest(LISTED),
        this.#users.latest(LISTED),
      ],
    );
    const sessions = (latestSessions as unknown as Session[]).map((s) => ({
      sessionIdPrefix: `${s.id.slice(0, 8)}…`,
      deploymentId: s.deploymentId,
      externalId: s.claims.externalId,
      createdAt: iso(s.createdAt),
      expiresAt: iso(s.createdAt + this.limits.sessionTtlMs),
    }));
    const userList = latestUsers.map((u) => ({
      externalId: u.externalId,
      email: u.email,
      sessions: u.sessions,
      createdAt: iso(u.createdAt),
      lastSessionAt: iso(u.lastSessionAt),
    }));
    const zero = { created: 0, exchanged: 0, revoked: 0, refusedExchanges: 0 };
    return {
      counts: { activeSessions, users, revokedSessions },
      counters: { ...zero, ...counters },
      sessions,
      users: userList,
      catalog: this.catalog.snapshot(),
    };
  }
}
