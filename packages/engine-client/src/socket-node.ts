import { SocketWithUpgrade } from "./socket-with-upgrade";
import { withTransportClasses } from "./default-transports";
import type { SocketOptions } from "./socket-options";
import { transports } from "./transports/node";

/** The default socket in Node: transports by name (`polling` over node:http, `websocket` over ws) and upgrades. */
export class Socket extends SocketWithUpgrade {
  constructor();
  constructor(uri: string, opts?: SocketOptions);
  constructor(opts: SocketOptions);
  constructor(uri?: string | SocketOptions, opts?: SocketOptions) {
    super(typeof uri === "string" ? uri : undefined, withTransportClasses(uri, opts, transports));
  }
}
