import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PrismChild, startPrism } from "../../src/cli/prism-process.js";
import { createCubeClient, createExploClient, createToucanClient } from "../../src/clients/index.js";
import { loadSpec, type ProviderId, providerInfo, specPath } from "../../src/openapi/index.js";
import { SchemaEngine } from "../../src/schema/index.js";

/** A port the OS just handed out, closed again for Prism to take. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject()));
    });
  });
}

const MODES = ["static", "dynamic"] as const;
type Mode = (typeof MODES)[number];
const PROVIDERS: ProviderId[] = ["cube", "explo", "toucan"];
const children: PrismChild[] = [];
const urls = new Map<string, string>();

beforeAll(async () => {
  // One after another: six Prisms starting at once on a loaded 2-core machine each missed the
  // 60 s readiness deadline; in turn each takes ~13 s there.
  for (const mode of MODES) {
    for (const id of PROVIDERS) {
      const port = await freePort();
      const child = await startPrism({
        specFile: specPath(id),
        host: "127.0.0.1",
        port,
        dynamic: mode === "dynamic",
        basePath: providerInfo(id).basePath,
      });
      children.push(child);
      // Cube is served under /api, as Cube Cloud serves it: startPrism writes the base path into the paths.
      urls.set(`${id}/${mode}`, `http://127.0.0.1:${port}${providerInfo(id).basePath}`);
    }
  }
}, 300_000);

afterAll(async () => {
  await Promise.all(children.map((c) => c.stop()));
});

/** The validator of an operation's 200 application/json body, from the shipped spec. */
async function okValidator(provider: ProviderId, operationId: string) {
  const model = await loadSpec(specPath(provider));
  const op = model.operations.find((o) => o.id === operationId);
  const schema = op?.responses["200"]?.content["application/json"]?.schema;
  if (schema === undefined) throw new Error(`${provider} ${operationId} has no 200 JSON schema`);
  return new SchemaEngine(model.document, { id: `${provider}-prism-test` }).compileSchema(schema);
}

const url = (id: ProviderId, mode: Mode) => urls.get(`${id}/${mode}`) ?? "";

describe.each(MODES)("happy paths against Prism (%s)", (mode) => {
  it.each([
    {
      provider: "cube" as const,
      operationId: "generateSession",
      call: () =>
        createCubeClient({ baseUrl: url("cube", mode), apiKey: "dev" }).POST("/v1/embed/generate-session", {
          body: { deploymentId: 32, externalId: "user@example.com" },
        }),
    },
    {
      provider: "cube" as const,
      operationId: "postTokenBySessionId",
      call: () =>
        createCubeClient({ baseUrl: url("cube", mode), apiKey: "dev" }).POST("/v1/embed/session/token", {
          body: { sessionId: "3f9a1c0e5b7d4a2f8e6c1b0a9d8e7f6a" },
        }),
    },
    {
      provider: "explo" as const,
      operationId: "generateJwt",
      call: () =>
        createExploClient({ baseUrl: url("explo", mode), token: "dev" }).POST("/api/generate_jwt/", {
          body: { provided_id: "customer_1", embed_id: "abcde", expiration: "PT1H" },
        }),
    },
    {
      provider: "toucan" as const,
      operationId: "generateToken",
      call: () =>
        createToucanClient({ baseUrl: url("toucan", mode), apiKey: "dev" }).POST("/embed/generate-token", {
          body: { user: { distinctId: "user-123", role: "explorer", attributes: {} } },
        }),
    },
  ])("$provider $operationId answers 200 with a body valid against the spec", async (c) => {
    const validate = await okValidator(c.provider, c.operationId);
    const { data, error, response } = await c.call();
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    // --errors makes Prism flag its own answers that break the spec in this header.
    expect(response.headers.get("sl-violations")).toBeNull();
    expect(data).toBeDefined();
    expect(validate(data)).toEqual([]);
  });
});

describe("Prism enforces Cube's contract", () => {
  it("rejects a request without deploymentId with the declared 400, naming the field", async () => {
    const cube = createCubeClient({ baseUrl: url("cube", "static"), apiKey: "dev" });
    const { response } = await cube.POST("/v1/embed/generate-session", {
      body: { externalId: "a" } as never,
    });
    // Prism answers 422 only when the operation declares no 400; Cube's declares one.
    expect(response.status).toBe(400);
    expect(response.headers.get("sl-violations")).toContain("deploymentId");
  });

  it("rejects a request without credentials with 401", async () => {
    const response = await fetch(`${url("cube", "static")}/v1/embed/generate-session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ deploymentId: 32 }),
    });
    expect(response.status).toBe(401);
  });

  it("serves Cube only under /api, like Cube Cloud: the bare /v1 path is not a route", async () => {
    const root = url("cube", "static").replace(/\/api$/, "");
    const cube = createCubeClient({ baseUrl: root, apiKey: "dev" });
    const { response } = await cube.POST("/v1/embed/generate-session", { body: { deploymentId: 32 } });
    expect(response.status).toBe(404);
  });
});
