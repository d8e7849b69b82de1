import { describe, expectTypeOf, it } from "vitest";
import { createCubeClient, createExploClient, createToucanClient } from "../../src/clients/index.js";

// Type-level only: nothing here runs. Each @ts-expect-error must meet a real error, or tsc (and
// vitest's typecheck) fails, so every line below proves the clients reject that input.

const cube = createCubeClient({ tenant: "acme", apiKey: "k" });
const explo = createExploClient({ token: "t" });
const toucan = createToucanClient({ apiKey: "k" });

const SESSION = "/v1/embed/generate-session";
const JWT = "/api/generate_jwt/";
const TOKEN = "/embed/generate-token";
const user = { distinctId: "u", role: "explorer", attributes: {} };

describe("cube client", () => {
  it("types the body and the answer from the spec", () => {
    const call = () => cube.POST(SESSION, { body: { deploymentId: 32, externalId: "a" } });
    type Data = NonNullable<Awaited<ReturnType<typeof call>>["data"]>;
    expectTypeOf<Data>().toEqualTypeOf<{ sessionId: string }>();
  });
  it("rejects a missing required field, a wrong type and an unknown path", () => {
    // @ts-expect-error deploymentId is required
    cube.POST(SESSION, { body: { externalId: "a" } });
    // @ts-expect-error deploymentId is a number
    cube.POST(SESSION, { body: { deploymentId: "32" } });
    // @ts-expect-error no such path in the spec
    cube.POST("/v1/embed/generate-sessions", { body: { deploymentId: 32 } });
    // @ts-expect-error the operation is a POST
    cube.GET(SESSION);
  });
  it("rejects options without a way to reach Cube, or with both, or an unknown scheme", () => {
    // @ts-expect-error tenant or baseUrl is required
    createCubeClient({ apiKey: "k" });
    // @ts-expect-error not both
    createCubeClient({ apiKey: "k", tenant: "acme", baseUrl: "http://127.0.0.1:4010/api" });
    // @ts-expect-error only Api-Key and Bearer
    createCubeClient({ apiKey: "k", tenant: "acme", scheme: "Basic" });
  });
});

describe("explo client", () => {
  it("types the answer", () => {
    const call = () => explo.POST(JWT, { body: { provided_id: "c", embed_id: "e" } });
    type Data = NonNullable<Awaited<ReturnType<typeof call>>["data"]>;
    expectTypeOf<Data["jwt"]>().toEqualTypeOf<string>();
  });
  it("rejects a missing required field, a wrong type and an unknown path", () => {
    // @ts-expect-error embed_id is required
    explo.POST(JWT, { body: { provided_id: "c" } });
    // @ts-expect-error disable_editable_section_editing is a boolean
    explo.POST(JWT, { body: { provided_id: "c", embed_id: "e", disable_editable_section_editing: 1 } });
    // @ts-expect-error the real path keeps its trailing slash
    explo.POST("/api/generate_jwt", { body: { provided_id: "c", embed_id: "e" } });
    // @ts-expect-error token is required
    createExploClient({ baseUrl: "https://api.explo.co" });
  });
});

describe("toucan client", () => {
  it("types the answer", () => {
    const call = () => toucan.POST(TOKEN, { body: { user } });
    type Data = NonNullable<Awaited<ReturnType<typeof call>>["data"]>;
    expectTypeOf<Data>().toEqualTypeOf<{ token: string; expiresIn: string }>();
  });
  it("rejects a missing required field, a wrong type and an unknown path", () => {
    // @ts-expect-error user.role is required
    toucan.POST(TOKEN, { body: { user: { distinctId: "u", attributes: {} } } });
    // @ts-expect-error can_view is a boolean
    toucan.POST(TOKEN, { body: { user, permissions: { dashboard: { can_view: "yes" } } } });
    // @ts-expect-error no such path in the spec
    toucan.POST("/embed/generate-tokens", { body: { user } });
    // @ts-expect-error apiKey is required
    createToucanClient({});
  });
});
