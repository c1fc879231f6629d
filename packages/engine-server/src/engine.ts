import { createServer, type Server as HttpServer } from "node:http";
import { Server, type AttachOptions, type ServerOptions } from "./server";

/** Creates an http server answering 501 outside the engine's path, attaches an engine and listens. */
export function listen(port: number, options?: AttachOptions & ServerOptions, listenCallback?: () => void): Server;
export function listen(port: number, listenCallback?: () => void): Server;
export function listen(
  port: number,
  options?: (AttachOptions & ServerOptions) | (() => void),
  listenCallback?: () => void,
): Server {
  if (typeof options === "function") {
    listenCallback = options;
    options = {};
  }
  const server = createServer((_req, res) => {
    res.writeHead(501);
    res.end("Not Implemented");
  });
  const engine = attach(server, options);
  engine.httpServer = server;
  server.listen(port, listenCallback);
  return engine;
}

/** Creates an engine and attaches it to an existing http(s) server. */
export function attach(server: HttpServer, options?: AttachOptions & ServerOptions): Server {
  const engine = new Server(options);
  engine.attach(server, options);
  return engine;
}
