import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Kernel } from "./kernel.js";
import { handleRequest } from "./pipeline.js";
import type { EmuRequest } from "./types.js";

/** Oversized bodies are read and dropped up to this many times the limit, so the client sees its 413. */
const DRAIN_FACTOR = 8;

function readRequest(req: IncomingMessage, limit: number, done: (r: EmuRequest) => void): void {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const base: EmuRequest = {
    method: req.method ?? "GET",
    path: q === -1 ? url : url.slice(0, q),
    query: q === -1 ? "" : url.slice(q + 1),
    headers: req.headers as EmuRequest["headers"],
    body: undefined,
    remoteAddress: req.socket.remoteAddress ?? "unknown",
  };
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit * DRAIN_FACTOR) {
    req.pause();
    done({ ...base, bodyTooLarge: true });
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  req.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
    else if (size > limit * DRAIN_FACTOR) req.destroy();
  });
  req.on("end", () => {
    if (size > limit) done({ ...base, bodyTooLarge: true });
    else done({ ...base, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks) });
  });
}

function listener(kernel: Kernel) {
  return (req: IncomingMessage, res: ServerResponse) => {
    readRequest(req, kernel.config.bodyLimitBytes, (emuReq) => {
      handleRequest(kernel, emuReq).then(
        (out) => {
          if (emuReq.bodyTooLarge) out.headers.connection = "close";
          res.writeHead(out.status, out.headers);
          res.end(out.body);
        },
        () => {
          // handleRequest never rejects; this is the last line of defence for the process.
          if (!res.headersSent) res.writeHead(500);
          res.end();
        },
      );
    });
  };
}

/** Malformed HTTP (unknown methods, broken framing, huge headers) still gets an envelope, not a reset. */
function answerClientError(kernel: Kernel, error: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable || error.code === "ECONNRESET") {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === "HPE_HEADER_OVERFLOW";
  const status = tooLarge ? 431 : 400;
  const body = JSON.stringify(
    kernel.definition.envelope(status, tooLarge ? "Request headers too large" : "Malformed HTTP request"),
  );
  socket.end(
    `HTTP/1.1 ${status} ${tooLarge ? "Request Header Fields Too Large" : "Bad Request"}\r\n` +
      `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
      `connection: close\r\n\r\n${body}`,
  );
}

/** A node:http server over the same pipeline as `fetch(request)`, with timeouts against slow clients. */
export function createHttpServer(kernel: Kernel): Server {
  const server = createServer(
    { requestTimeout: 30_000, headersTimeout: 10_000, keepAliveTimeout: 5_000 },
    listener(kernel),
  );
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) =>
    answerClientError(kernel, error, socket),
  );
  return server;
}

export function listenOn(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    });
  });
}

/** Stops accepting, lets in-flight requests finish, then drops whatever is still open after `graceMs`. */
export function closeServer(server: Server, graceMs = 5_000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}
