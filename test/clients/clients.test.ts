import { describe, expect, it } from "vitest";
import { createCubeClient, createExploClient, createToucanClient } from "../../src/clients/index.js";

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A fetch that records the request it was given and answers with `answer`. */
function recordingFetch(answer: unknown = {}, status = 200) {
  const seen: Seen[] = [];
  const fetch = async (request: Request) => {
    const text = await request.text();
    seen.push({
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(request.headers),
      body: text ? JSON.parse(text) : undefined,
    });
    return new Response(JSON.stringify(answer), { status, headers: { "content-type": "application/json" } });
  };
  return { fetch, seen };
}

const sessionBody = { deploymentId: 32, externalId: "user@example.com" };
const jwtBody = { provided_id: "customer_1", embed_id: "abcde", expiration: "PT1H" };
const tokenBody = { user: { distinctId: "user-123", role: "explorer", attributes: { city: "Paris" } } };

describe("each client sends the right method, URL, credential header and JSON body", () => {
  it.each([
    {
      name: "cube, default tenant URL and Api-Key",
      call: (fetch: (r: Request) => Promise<Response>) =>
        createCubeClient({ tenant: "acme", apiKey: "k1", fetch }).POST("/v1/embed/generate-session", {
          body: sessionBody,
        }),
      url: "https://acme.cubecloud.dev/api/v1/embed/generate-session",
      header: ["authorization", "Api-Key k1"],
      body: sessionBody,
    },
    {
      name: "cube, base URL and Bearer",
      call: (fetch: (r: Request) => Promise<Response>) =>
        createCubeClient({
          baseUrl: "http://127.0.0.1:4010/api/",
          apiKey: "k2",
          scheme: "Bearer",
          fetch,
        }).POST("/v1/embed/session/revoke", { body: { sessionId: "3f9a1c0e5b7d4a2f8e6c1b0a9d8e7f6a" } }),
      url: "http://127.0.0.1:4010/api/v1/embed/session/revoke",
      header: ["authorization", "Bearer k2"],
      body: { sessionId: "3f9a1c0e5b7d4a2f8e6c1b0a9d8e7f6a" },
    },
    {
      name: "explo, default URL",
      call: (fetch: (r: Request) => Promise<Response>) =>
        createExploClient({ token: "t1", fetch }).POST("/api/generate_jwt/", { body: jwtBody }),
      url: "https://api.explo.co/api/generate_jwt/",
      header: ["explo-authorization", "Token t1"],
      body: jwtBody,
    },
    {
      name: "toucan, default URL",
      call: (fetch: (r: Request) => Promise<Response>) =>
        createToucanClient({ apiKey: "k3", fetch }).POST("/embed/generate-token", { body: tokenBody }),
      url: "https://toucanai.cloud/embed/generate-token",
      header: ["x-api-key", "k3"],
      body: tokenBody,
    },
  ])("$name", async ({ call, url, header, body }) => {
    const { fetch, seen } = recordingFetch();
    await call(fetch);
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe(url);
    expect(request?.headers[header[0] as string]).toBe(header[1]);
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.body).toEqual(body);
  });

  it("cube does not send the admin key to the unauthenticated session exchange", async () => {
    const { fetch, seen } = recordingFetch({ token: "a.b.c" });
    const cube = createCubeClient({ tenant: "acme", apiKey: "secret", fetch });
    const { data } = await cube.POST("/v1/embed/session/token", { body: { sessionId: "abc" } });
    expect(data).toEqual({ token: "a.b.c" });
    expect(seen[0]?.url).toBe("https://acme.cubecloud.dev/api/v1/embed/session/token");
    expect(seen[0]?.headers.authorization).toBeUndefined();
  });

  it("keeps openapi-fetch's {data, error, response}", async () => {
    const envelope = { code: "UNAUTHORIZED", message: "unknown key" };
    const { fetch } = recordingFetch(envelope, 401);
    const result = await createToucanClient({ apiKey: "k", fetch }).POST("/embed/generate-token", {
      body: tokenBody,
    });
    expect(result.data).toBeUndefined();
    expect(result.error).toEqual(envelope);
    expect(result.response.status).toBe(401);
  });
});

describe("constructor options are checked with a clear error", () => {
  const bad: [string, () => unknown, RegExp][] = [
    ["cube without a key", () => createCubeClient({ tenant: "acme", apiKey: "" }), /"apiKey" is required/],
    [
      "cube with a prefixed key",
      () => createCubeClient({ tenant: "a", apiKey: "Api-Key k" }),
      /bare credential/,
    ],
    [
      "cube without tenant or baseUrl",
      () => createCubeClient({ apiKey: "k" } as never),
      /"tenant".*"baseUrl"/,
    ],
    [
      "cube with both",
      () => createCubeClient({ apiKey: "k", tenant: "a", baseUrl: "http://x" } as never),
      /not both/,
    ],
    ["cube with a bad tenant", () => createCubeClient({ apiKey: "k", tenant: "a.b/c" }), /subdomain/],
    [
      "cube with a bad scheme",
      () => createCubeClient({ apiKey: "k", tenant: "a", scheme: "Basic" as never }),
      /scheme/,
    ],
    ["cube with a relative URL", () => createCubeClient({ apiKey: "k", baseUrl: "/api" }), /absolute URL/],
    ["explo without a token", () => createExploClient({} as never), /"token" is required/],
    [
      "explo with a non-http URL",
      () => createExploClient({ token: "t", baseUrl: "ftp://x" }),
      /http or https/,
    ],
    [
      "toucan with a query in the URL",
      () => createToucanClient({ apiKey: "k", baseUrl: "http://x/?a=1" }),
      /query/,
    ],
  ];
  it.each(bad)("%s", (_name, make, message) => {
    expect(make).toThrow(message);
  });
});
