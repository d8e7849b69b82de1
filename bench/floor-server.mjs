/**
 * The floor: the least a Node server must do to answer generate-session honestly: read the body,
 * parse it, validate it with a precompiled ajv validator, answer JSON. No routing, no auth, no
 * state. The emulator is measured against this in the same run. Plain JavaScript over the built
 * dist/ (no TypeScript loader in the process), so its memory and start-up are Node's own.
 *   node bench/floor-server.mjs <port>
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { loadSpec, specPath } from "../dist/src/openapi/index.js";
import { SchemaEngine } from "../dist/src/schema/index.js";

const port = Number(process.argv[2] ?? 0);
const spec = await loadSpec(specPath("cube"));
const validate = new SchemaEngine(spec.document, { id: "floor" }).compile(
  "/components/schemas/GenerateSession",
);

createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      res.writeHead(400, { "content-type": "application/json" }).end('{"message":"bad json"}');
      return;
    }
    const problems = validate(body);
    if (problems.length) {
      res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ message: problems }));
      return;
    }
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify({ sessionId: randomBytes(16).toString("hex") }));
  });
}).listen(port, "127.0.0.1");
