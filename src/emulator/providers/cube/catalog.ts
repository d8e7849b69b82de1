import type { CubeAttributeDefinition, CubeAttributeType, CubeEmbedTenant } from "./defaults.js";

/** The groups and attribute definitions one scope holds: the tenant-wide one or an embed tenant's. */
export interface Scope {
  groups: Set<string>;
  attributes: Map<string, CubeAttributeType>;
}

export interface CatalogSeed {
  groups: string[];
  userAttributes: CubeAttributeDefinition[];
  embedTenants: CubeEmbedTenant[];
}

const scopeOf = (groups: string[], attributes: CubeAttributeDefinition[]): Scope => ({
  groups: new Set(groups),
  attributes: new Map(attributes.map((a) => [a.name, a.type])),
});

/** What a tenant, a group or an attribute definition costs beyond its name's bytes. */
const TENANT_BYTES = 256;
const ENTRY_BYTES = 64;
const utf8 = (text: string) => Buffer.byteLength(text);

/**
 * What `groups` and `userAttributes` resolve against (Cube's "Group definition lookup" and
 * "Attribute definition lookup", generate-session.mdx): the tenant-wide catalog outside creator
 * mode, the embed tenant's scoped catalog in creator mode. Definitions sent with a session are
 * upserted into the embed tenant's scope only, and only once every rule has passed.
 */
export class CubeCatalog {
  #account: Scope;
  readonly #tenants = new Map<string, Scope>();
  /** Bytes the definitions requests added (the seed is the config's, and not counted). */
  #bytes = 0;

  /**
   * `maxBytes`: this process's share of the state budget. The catalog lives in the process, not in
   * the store, and grows with every new embed tenant and definition a request sends.
   */
  constructor(
    private readonly seed: CatalogSeed,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
  ) {
    this.#account = scopeOf(seed.groups, seed.userAttributes);
    this.reset();
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** `undefined` is the tenant-wide scope; an embed tenant never seen before has an empty one. */
  scope(embedTenant: string | undefined): Readonly<Scope> {
    if (embedTenant === undefined) return this.#account;
    return this.#tenants.get(embedTenant) ?? { groups: new Set(), attributes: new Map() };
  }

  /** Adds the definitions; false (nothing added) when they would pass the catalog's bytes. */
  define(
    embedTenant: string,
    groups: readonly string[],
    attributes: readonly CubeAttributeDefinition[],
  ): boolean {
    let scope = this.#tenants.get(embedTenant);
    let more = scope ? 0 : TENANT_BYTES + utf8(embedTenant);
    for (const g of new Set(groups)) if (!scope?.groups.has(g)) more += ENTRY_BYTES + utf8(g);
    for (const a of attributes) if (!scope?.attributes.has(a.name)) more += ENTRY_BYTES + utf8(a.name);
    if (more > 0 && this.#bytes + more > this.maxBytes) return false;
    this.#bytes += more;
    if (!scope) {
      scope = { groups: new Set(), attributes: new Map() };
      this.#tenants.set(embedTenant, scope);
    }
    for (const g of groups) scope.groups.add(g);
    for (const a of attributes) scope.attributes.set(a.name, a.type);
    return true;
  }

  reset(): void {
    this.#bytes = 0;
    this.#account = scopeOf(this.seed.groups, this.seed.userAttributes);
    this.#tenants.clear();
    for (const t of this.seed.embedTenants) this.#tenants.set(t.name, scopeOf(t.groups, t.userAttributes));
  }

  snapshot(): Record<string, unknown> {
    const show = (s: Scope) => ({ groups: [...s.groups], userAttributes: Object.fromEntries(s.attributes) });
    return {
      tenant: show(this.#account),
      embedTenants: Object.fromEntries([...this.#tenants].map(([name, s]) => [name, show(s)])),
    };
  }
}
