import createDebug from "debug";
import type { DefaultEventsMap, EventsMap } from "@sockwave/engine-client";
import { Manager, type ManagerOptions } from "./manager";
import type { Socket, SocketOptions } from "./socket";
import { url } from "./url";

const debug = createDebug("sockwave:io-client:manager");

/** Options of `io()`: those of the Manager and of the Socket together. */
export type LookupOptions = Partial<ManagerOptions & SocketOptions>;

/** Managers shared between `io()` calls, by `protocol://host:port<path>`. */
const managers = new Map<string, Manager>();

/**
 * Returns a Socket for the namespace in the URI's path. Sockets share one connection (Manager) per server
 * unless `forceNew`, `multiplex: false`, or the namespace already has a Socket on the cached Manager.
 */
export function lookup<ListenEvents extends EventsMap = DefaultEventsMap, EmitEvents extends EventsMap = ListenEvents>(
  opts?: LookupOptions,
): Socket<ListenEvents, EmitEvents>;
export function lookup<ListenEvents extends EventsMap = DefaultEventsMap, EmitEvents extends EventsMap = ListenEvents>(
  uri?: string,
  opts?: LookupOptions,
): Socket<ListenEvents, EmitEvents>;
export function lookup<ListenEvents extends EventsMap = DefaultEventsMap, EmitEvents extends EventsMap = ListenEvents>(
  uri?: string | LookupOptions,
  opts?: LookupOptions,
): Socket<ListenEvents, EmitEvents> {
  if (typeof uri === "object" && uri !== null) {
    opts = uri;
    uri = undefined;
  }
  opts = opts || {};
  const parsed = url(uri, opts.path || "/socket.io");
  const cached = managers.get(parsed.id);
  const newConnection =
    opts.forceNew ||
    (opts as { "force new connection"?: boolean })["force new connection"] ||
    opts.multiplex === false ||
    (cached !== undefined && cached._hasNamespace(parsed.path));

  let manager: Manager;
  if (newConnection) {
    debug("new connection for %s", parsed.source);
    manager = new Manager(parsed.source, opts);
  } else if (cached) {
    manager = cached;
  } else {
    debug("new multiplexed connection for %s", parsed.source);
    manager = new Manager(parsed.source, opts);
    managers.set(parsed.id, manager);
  }
  if (parsed.query && !opts.query) opts.query = parsed.queryKey;
  return (manager as Manager<ListenEvents, EmitEvents>).socket(parsed.path, opts);
}
