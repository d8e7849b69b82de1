import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  STATUS_CODES,
} from "node:http";
import type { Socket } from "node:net";
import type { EmuRequest } from "../kit/types.js";
import { handleRequest } from "../pipeline/handle-request.js";
import type { Kernel } from "../pipeline/kernel.js";

/** Requests a server is answering, by server. */
const inFlight = new WeakMap<Server, number>();

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

function listener(kernel: Kernel, server: Server) {
  return (req: IncomingMessage, res: ServerResponse) => {
    // Node's own answer to a missing Host is an empty 400; this one is in the provider's envelope.
    if (req.headers.host === undefined && req.httpVersion === "1.1") {
      const body = JSON.stringify(kernel.definition.envelope(400, "Host header required"));
      res.writeHead(400, { "content-type": "application/json; charset=utf-8", connection: "close" });
      res.end(body);
      return;
    }
    // Counted until the answer is written or the socket goes, so a shutdown can say what it cut.
    inFlight.set(server, (inFlight.get(server) ?? 0) + 1);
    res.once("close", () => inFlight.set(server, (inFlight.get(server) ?? 1) - 1));
    readRequest(req, kernel.config.bodyLimitBytes, (emuReq) => {
      handleRequest(kernel, emuReq).then(
        (out) => {
          // While shutting down, close each connection after its answer, so close() need not wait
          // for idle keep-alive sockets.
          if (emuReq.bodyTooLarge || !server.listening) out.headers.connection = "close";
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

const CLIENT_ERRORS: Record<string, [status: number, message: string]> = {
  HPE_HEADER_OVERFLOW: [431, "Request headers too large"],
  // headersTimeout / requestTimeout ran out: a slow (or slowloris) client.
  ERR_HTTP_REQUEST_TIMEOUT: [408, "Request not received in time"],
};

/** An envelope written straight to the socket, which is then closed. */
function answerRaw(kernel: Kernel, socket: Socket, status: number, message: string): void {
  const body = JSON.stringify(kernel.definition.envelope(status, message));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
      `connection: close\r\n\r\n${body}`,
  );
}

/** Malformed HTTP (unknown methods, broken framing, huge headers) still gets an envelope, not a reset. */
function answerClientError(kernel: Kernel, error: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable || error.code === "ECONNRESET") {
    socket.destroy();
    return;
  }
  const [status, message] = CLIENT_ERRORS[error.code ?? ""] ?? [400, "Malformed HTTP request"];
  answerRaw(kernel, socket, status, message);
}

/** A node:http server over the same pipeline as `fetch(request)`, with timeouts against slow clients. */
export function createHttpServer(kernel: Kernel): Server {
  const { headersTimeoutMs, requestTimeoutMs } = kernel.config;
  const server = createServer({
    requestTimeout: requestTimeoutMs,
    headersTimeout: Math.min(headersTimeoutMs, requestTimeoutMs),
    // Node checks both timeouts on this interval (30 s by default), so a short timeout needs a short one.
    connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(headersTimeoutMs / 4))),
    keepAliveTimeout: 5_000,
    requireHostHeader: false,
  });
  server.on("request", listener(kernel, server));
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) =>
    answerClientError(kernel, error, socket),
  );
  // No tunnels here; without a listener Node would drop the socket without a word.
  server.on("connect", (_req: IncomingMessage, socket: Socket) =>
    answerRaw(kernel, socket, 405, "CONNECT is not supported"),
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

/**
 * Stops accepting, lets in-flight requests finish, then drops whatever is still open after
 * `graceMs`. Resolves with how many requests were still in flight when it had to cut them (0 when
 * every one finished).
 */
export function closeServer(server: Server, graceMs = 5_000): Promise<number> {
  return new Promise((resolve) => {
    let cut = 0;
    const timer = setTimeout(() => {
      cut = inFlight.get(server) ?? 0;
      server.closeAllConnections();
    }, graceMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve(cut);
    });
    server.closeIdleConnections();
  });
}
