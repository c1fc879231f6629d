// Writes the CommonJS entry: `require("@sockwave/io-client")` is the io function itself, with io, connect,
// Manager, Socket and protocol attached (as socket.io-client's CommonJS build). Its declaration uses
// `export =` with a merged namespace, so TypeScript sees both the function and the named exports.
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const dist = join(import.meta.dirname, "..", "dist");

writeFileSync(
  join(dist, "io.cjs"),
  `"use strict";
// the io function, with io, connect, Manager, Socket and protocol as properties (see index.cjs)
module.exports = require("./index.cjs").io;
`,
);

writeFileSync(
  join(dist, "io.d.cts"),
  `import * as core from "./index.cjs";

declare function io<ListenEvents extends core.EventsMap = core.DefaultEventsMap, EmitEvents extends core.EventsMap = ListenEvents>(
  opts?: core.LookupOptions,
): core.Socket<ListenEvents, EmitEvents>;
declare function io<ListenEvents extends core.EventsMap = core.DefaultEventsMap, EmitEvents extends core.EventsMap = ListenEvents>(
  uri?: string,
  opts?: core.LookupOptions,
): core.Socket<ListenEvents, EmitEvents>;

declare namespace io {
  export import Manager = core.Manager;
  export import Socket = core.Socket;
  export import protocol = core.protocol;
  export import connect = core.connect;
  export type LookupOptions = core.LookupOptions;
  export type ManagerOptions = core.ManagerOptions;
  export type ManagerReservedEvents = core.ManagerReservedEvents;
  export type Parser = core.Parser;
  export type ParserDecoder = core.ParserDecoder;
  export type ParserEncoder = core.ParserEncoder;
  export type SocketOptions = core.SocketOptions;
  export type SocketReservedEvents = core.SocketReservedEvents;
  export type DisconnectDescription = core.DisconnectDescription;
  export type ExtendedError = core.ExtendedError;
  export type DecorateAcknowledgements<E> = core.DecorateAcknowledgements<E>;
  export type EventsMap = core.EventsMap;
  export type DefaultEventsMap = core.DefaultEventsMap;
  export type EventNames<Map extends core.EventsMap> = core.EventNames<Map>;
  export type EventParams<Map extends core.EventsMap, Ev extends core.EventNames<Map>> = core.EventParams<Map, Ev>;
  export import io = core.io;
}

export = io;
`,
);
