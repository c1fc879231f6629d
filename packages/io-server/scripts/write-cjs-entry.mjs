// Writes the CommonJS entry: `require("@sockwave/io-server")` is a function creating a Server (as
// socket.io's CommonJS entry is), with the named exports of dist/index.cjs attached to it. Its
// declaration merges a function and a namespace under `export =`, so TypeScript sees both.
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const dist = join(import.meta.dirname, "..", "dist");

writeFileSync(
  join(dist, "io.cjs"),
  `"use strict";
const core = require("./index.cjs");
// new Server(srv, opts), callable without new
function createServer(srv, opts) {
  return new core.Server(srv, opts);
}
module.exports = Object.assign(createServer, core);
`,
);

const classes = ["Server", "Namespace", "ParentNamespace", "Socket", "BroadcastOperator", "RemoteSocket"];
const values = ["DEFAULT_MAX_OUTBOUND_BYTES", "DEFAULT_MAX_OUTBOUND_PACKETS", "MAX_EVENT_ARGUMENTS"];
const types = [
  "ServerOptions",
  "ParentNspNameMatchFn",
  "ExtendedError",
  "Event",
  "DisconnectReason",
  "Handshake",
  "SocketDetails",
  "CorsOptions",
  "AdapterConstructor",
  "DefaultEventsMap",
  "EventsMap",
];

writeFileSync(
  join(dist, "io.d.cts"),
  `import * as core from "./index.cjs";

declare function createServer<
  ListenEvents extends core.EventsMap = core.DefaultEventsMap,
  EmitEvents extends core.EventsMap = ListenEvents,
  ServerSideEvents extends core.EventsMap = core.DefaultEventsMap,
  SocketData = any,
>(
  srv?: ConstructorParameters<typeof core.Server>[0],
  opts?: Partial<core.ServerOptions>,
): core.Server<ListenEvents, EmitEvents, ServerSideEvents, SocketData>;

declare namespace createServer {
${classes.map((name) => `  export import ${name} = core.${name};`).join("\n")}
${values.map((name) => `  export import ${name} = core.${name};`).join("\n")}
${types.map((name) => `  export type ${name} = core.${name};`).join("\n")}
}

export = createServer;
`,
);
