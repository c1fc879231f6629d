import type { SocketOptions, TransportCtor } from "./socket-options";

const DEFAULT_TRANSPORT_NAMES = ["polling", "websocket", "webtransport"];

/**
 * The options of a `Socket` with transport names turned into this platform's classes (unknown names, like
 * `webtransport` which Sockwave does not implement, are dropped).
 */
export function withTransportClasses(
  uriOrOpts: string | SocketOptions | undefined,
  opts: SocketOptions | undefined,
  available: Record<string, TransportCtor>,
): SocketOptions {
  const options = { ...(uriOrOpts && typeof uriOrOpts === "object" ? uriOrOpts : opts) };
  const transports = options.transports ?? (options.transportImplementations ? undefined : DEFAULT_TRANSPORT_NAMES);
  if (transports && (transports.length === 0 || typeof transports[0] === "string")) {
    options.transports = (transports as string[])
      .map((name) => available[name])
      .filter((ctor): ctor is TransportCtor => ctor !== undefined);
  }
  return options;
}
