import { Adapter, type BroadcastOptions } from "@sockwave/io-adapter";
import debugModule from "debug";
import type { RemoteSocket } from "./broadcast-operator";
import { Namespace } from "./namespace";
import type { Packet } from "./parser-contract";
import type { Server } from "./server";
import type { DefaultEventsMap, EventNamesWithoutAck, EventParams, EventsMap } from "./typed-events";

const debug = debugModule("sockwave:io:parent-namespace");

/* eslint-disable @typescript-eslint/no-explicit-any -- SocketData defaults to any, as in socket.io 4.8 */

/**
 * The namespace returned by `io.of(/regexp/)` or `io.of(fn)`: a template for the dynamic namespaces
 * it matches. Its middlewares and `connection` listeners are copied to every child it creates, and
 * its broadcasts reach every child.
 */
export class ParentNamespace<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
  ServerSideEvents extends EventsMap = DefaultEventsMap,
  // any, as socket.io 4.8's default: unknown would break untyped user code reading socket.data.
  SocketData = any,
> extends Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData> {
  private static count = 0;
  private readonly children = new Set<Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>();

  constructor(server: Server<ListenEvents, EmitEvents, ServerSideEvents, SocketData>) {
    super(server, "/_" + ParentNamespace.count++);
  }

  override _initAdapter(): void {
    this.adapter = new ParentBroadcastAdapter(this);
  }

  override emit<Ev extends EventNamesWithoutAck<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): boolean {
    for (const nsp of this.children) nsp.emit(ev, ...args);
    return true;
  }

  /** Creates the dynamic namespace `name`, inheriting this parent's middlewares and listeners. */
  createChild(name: string): Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData> {
    debug("creating child namespace %s", name);
    const namespace = new Namespace(this.server, name);
    for (const fn of this._fns) namespace.use(fn);
    for (const listener of this.listeners("connect")) namespace.on("connect", listener);
    for (const listener of this.listeners("connection")) namespace.on("connection", listener);
    this.children.add(namespace);
    if (this.server.opts.cleanupEmptyChildNamespaces) {
      const remove = namespace._remove;
      namespace._remove = (socket) => {
        remove.call(namespace, socket);
        if (namespace.sockets.size === 0) {
          debug("closing empty child namespace %s", name);
          void namespace.adapter.close();
          this.server._nsps.delete(namespace.name);
          this.children.delete(namespace);
        }
      };
    }
    this.server._nsps.set(name, namespace);
    this.server.sockets._emitNewNamespace(namespace);
    return namespace;
  }

  override fetchSockets(): Promise<RemoteSocket<EmitEvents, SocketData>[]> {
    throw new Error("fetchSockets() is not supported on parent namespaces: call it on a child namespace");
  }

  /** The children, for the broadcast adapter. */
  _children(): Iterable<Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>> {
    return this.children;
  }
}

/** Broadcasting on a parent namespace broadcasts on each of its children. */
class ParentBroadcastAdapter extends Adapter {
  override broadcast(packet: Packet, opts: BroadcastOptions): void {
    const parent = this.nsp as unknown as ParentNamespace;
    for (const child of parent._children()) child.adapter.broadcast(packet, opts);
  }
}
