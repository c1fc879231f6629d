import { SocketWithUpgrade } from "./socket-with-upgrade";
import { withTransportClasses } from "./default-transports";
import type { SocketOptions } from "./socket-options";
import { transports } from "./transports/browser";

/** The default socket in browsers: transports by name (`polling` over XMLHttpRequest, `websocket` native) and upgrades. */
export class Socket extends SocketWithUpgrade {
  constructor();
  constructor(uri: string, opts?: SocketOptions);
  constructor(opts: SocketOptions);
  constructor(uri?: string | SocketOptions, opts?: SocketOptions) {
    super(typeof uri === "string" ? uri : undefined, withTransportClasses(uri, opts, transports));
  }
}
