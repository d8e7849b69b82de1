/**
 * The floors: the least a Node server must do to answer honestly, measured in the same run as the
 * emulator. No routing beyond the last path segment, no auth, no journal, no store interface.
 *  - generate-session: read the body, parse it, validate it with a precompiled ajv validator,
 *    keep the session in a Map, answer JSON.
 *  - session/token (the exchange): read and parse the body, take the session out of the Map
 *    (single use), sign an HS256 JWT with jose, answer JSON. The exchange is measured against
 *    this rather than against jose alone in one process: no HTTP server can approach an
 *    in-process signing loop when the load generator shares the machine's cores.
 * Plain JavaScript over the built dist/ (no TypeScript loader in the process), so its memory and
 * start-up are Node's own.
 *   node bench/floor-server.mjs <port>
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { SignJWT } from "jose";
import { loadSpec, specPath } from "../dist/src/openapi/index.js";
import { SchemaEngine } from "../dist/src/schema/index.js";

const port = Number(process.argv[2] ?? 0);
const spec = await loadSpec(specPath("cube"));
const validate = new SchemaEngine(spec.document, { id: "floor" }).compile(
  "/components/schemas/GenerateSession",
);
const secret = new TextEncoder().encode("cube-dev-embed-secret-0123456789abcdef");
const sessions = new Map();

const answer = (res, status, body) =>
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));

async function exchange(body, res) {
  const session = sessions.get(body?.sessionId);
  if (!session) return answer(res, 400, { message: "unknown session" });
  sessions.delete(body.sessionId);
  const token = await new SignJWT({ sid: body.sessionId, ...session })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuer("cubecloud")
    .setIssuedAt()
    .setExpirationTime("24h")
    .sign(secret);
  answer(res, 200, { token });
}

function generate(body, res) {
  const problems = validate(body);
  if (problems.length) return answer(res, 400, { message: problems });
  const sessionId = randomBytes(16).toString("hex");
  sessions.set(sessionId, { deploymentId: body.deploymentId, externalId: body.externalId });
  answer(res, 200, { sessionId });
}

createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      return answer(res, 400, { message: "bad json" });
    }
    if (req.url?.endsWith("/session/token")) exchange(body, res).catch(() => answer(res, 500, {}));
    else generate(body, res);
  });
}).listen(port, "127.0.0.1");
