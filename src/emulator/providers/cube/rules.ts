import type { operations } from "../../../../generated/cube.js";
import type { JsonBody, Reply } from "../../kit/index.js";
import { clip } from "../../kit/index.js";
import type { Scope } from "./catalog.js";
import type { CubeAttributeDefinition, CubeAttributeType, CubeConfig, CubeStatuses } from "./defaults.js";
import { cubeError } from "./errors.js";

/**
 * The generate-session rules of Cube's reference
 * (https://github.com/cube-js/cube/blob/005a1eeff578a4560d7bc6af7e8c7550796b7c24/docs-mintlify/reference/embed-apis/generate-session.mdx):
 * each answers Cube's message; where Cube gives no status, the status is the spec's
 * x-embedkit-rule-statuses choice, overridable by config `statuses`.
 */
export type GenerateBody = NonNullable<JsonBody<operations["generateSession"]>>;

const present = (value: unknown) => value !== undefined && value !== null;
const list = (names: readonly string[]) => names.map((n) => clip(n, 100)).join(", ");

/** "You cannot specify … with internalId — the internal user's existing permissions are used instead." */
const NOT_WITH_INTERNAL_ID = [
  "groups",
  "userAttributes",
  "groupDefinitions",
  "userAttributeDefinitions",
  "securityContext",
  "userProfile",
] as const satisfies readonly (keyof GenerateBody)[];

/** Definitions and tenant groups "Require `creatorMode: true`" and "an `embedTenantName`". */
const CREATOR_ONLY = [
  "groupDefinitions",
  "tenantGroupDefinitions",
  "userAttributeDefinitions",
  "tenantGroups",
] as const satisfies readonly (keyof GenerateBody)[];

/** `externalId` or `internalId`, "not both"; neither only with `requireIdentity` (x-embedkit-identity). */
export function identityRule(
  body: GenerateBody,
  config: CubeConfig,
  statuses: CubeStatuses,
): Reply | undefined {
  const external = present(body.externalId);
  const internal = present(body.internalId);
  if (external && internal)
    return cubeError(statuses.identity, "Provide either externalId or internalId, not both");
  if (!external && !internal) {
    return config.requireIdentity
      ? cubeError(statuses.identity, "Provide either externalId or internalId")
      : undefined;
  }
  if (!internal) return undefined;
  const given = NOT_WITH_INTERNAL_ID.filter((field) => present(body[field]));
  if (given.length === 0) return undefined;
  return cubeError(statuses.internalIdExclusive, `${list(given)} not allowed with internalId`);
}

/** Creator-mode requirements, the `useCreatorMode` flag and the optional 5–36 prose rule. */
export function creatorRule(
  body: GenerateBody,
  config: CubeConfig,
  statuses: CubeStatuses,
): Reply | undefined {
  const given = CREATOR_ONLY.filter((field) => present(body[field]));
  if (given.length > 0 && (body.creatorMode !== true || !present(body.embedTenantName))) {
    const message = `${list(given)} require creatorMode: true and embedTenantName`;
    return cubeError(statuses.creatorModeRequired, message);
  }
  if (body.creatorMode === true && !config.creatorModeEnabled) {
    return cubeError(statuses.creatorModeDisabled, "Creator mode requires the useCreatorMode tenant flag");
  }
  const name = body.embedTenantName;
  if (
    config.embedTenantNameLength === "prose" &&
    typeof name === "string" &&
    (name.length < 5 || name.length > 36)
  ) {
    return cubeError(statuses.embedTenantNameLength, "embedTenantName must be 5–36 characters long");
  }
  return undefined;
}

/** What a request's definitions add to its embed tenant, applied only when every rule has passed. */
export interface Definitions {
  groups: string[];
  attributes: CubeAttributeDefinition[];
}

function duplicates(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return [...new Set(names.filter((n) => seen.size === seen.add(n).size))];
}

/** Duplicate names are refused; an attribute's `type` is immutable: "cannot change type", nothing upserted. */
export function definitionsRule(
  body: GenerateBody,
  scope: Readonly<Scope>,
  statuses: CubeStatuses,
): Reply | Definitions {
  const groups = [...(body.tenantGroupDefinitions ?? []), ...(body.groupDefinitions ?? [])].map(
    (g) => g.name,
  );
  const attributes = (body.userAttributeDefinitions ?? []).map(({ name, type }) => ({ name, type }));
  const dup = [
    ...duplicates([...(body.tenantGroupDefinitions ?? []).map((g) => g.name)]),
    ...duplicates([...(body.groupDefinitions ?? []).map((g) => g.name)]),
    ...duplicates(attributes.map((a) => a.name)),
  ];
  if (dup.length > 0)
    return cubeError(statuses.duplicateDefinitions, `Duplicate definition names: ${list(dup)}`);
  for (const { name, type } of attributes) {
    const was = scope.attributes.get(name);
    if (was !== undefined && was !== type) {
      const message = `User attribute ${clip(name, 100)}: cannot change type from ${was} to ${type}`;
      return cubeError(statuses.attributeTypeChange, message);
    }
  }
  return { groups, attributes };
}

const MATCHES: Record<CubeAttributeType, (v: unknown) => boolean> = {
  string: (v) => typeof v === "string",
  number: (v) => typeof v === "number",
  boolean: (v) => typeof v === "boolean",
  string_array: (v) => Array.isArray(v) && v.every((x) => typeof x === "string"),
  number_array: (v) => Array.isArray(v) && v.every((x) => typeof x === "number"),
};

/** `groups` and `userAttributes` must name what the scope (or this request's definitions) defines. */
export function resolutionRule(
  body: GenerateBody,
  scope: Readonly<Scope>,
  added: Definitions,
  statuses: CubeStatuses,
): Reply | undefined {
  const missingGroups = (body.groups ?? []).filter((g) => !scope.groups.has(g) && !added.groups.includes(g));
  if (missingGroups.length > 0) {
    return cubeError(statuses.unknownGroups, `Groups with names ${list(missingGroups)} not found`);
  }
  const typeOf = (name: string) =>
    added.attributes.find((a) => a.name === name)?.type ?? scope.attributes.get(name);
  const attributes = body.userAttributes ?? [];
  const unknown = attributes.filter((a) => typeOf(a.name) === undefined).map((a) => a.name);
  if (unknown.length > 0)
    return cubeError(statuses.unknownUserAttributes, `User attributes not found: ${list(unknown)}`);
  for (const { name, value } of attributes) {
    const type = typeOf(name) as CubeAttributeType;
    // `null` clears the value, so it fits every type.
    if (present(value) && !MATCHES[type](value)) {
      return cubeError(
        statuses.attributeValueType,
        `User attribute ${clip(name, 100)} must be a ${type} value`,
      );
    }
  }
  return undefined;
}
