import type { IncomingMessage } from "node:http";
import debugModule from "debug";
import type { EngineData, EngineSocket, EngineWriteOptions } from "./engine";
import { PacketType, type OutgoingPacket, type Packet, type PacketDecoder } from "./parser-contract";
import { preparedMessagesFor } from "./prepared-messages";
import type { Server } from "./server";
import type { Socket } from "./socket";
import type { DisconnectReason } from "./socket-types";
import type { EventsMap } from "./typed-events";

const debug = debugModule("sockwave:io:client");

/** Options of one write to the engine (the shape socket.io-adapter passes to `writeToEngine`). */
export interface WriteOptions extends EngineWriteOptions {
  volatile?: boolean;
  preEncoded?: boolean;
}

// A client may have at most this many namespace connections waiting on middlewares at once; more
// is a CONNECT flood, and the connection is closed.
const MAX_PENDING_CONNECTS = 32;

// Engine sockets and decoders call their listeners with `this` set to themselves: listeners shared by
// every client find their client through this back-reference instead of a closure per connection.
const CLIENT = Symbol("sockwave.client");
interface WithClient {
  [CLIENT]?: Client<EventsMap, EventsMap, EventsMap>;
}

function onEngineData(this: EngineSocket & WithClient, data: unknown): void {
  this[CLIENT]?.ondata(data);
}
function onEngineError(this: EngineSocket & WithClient, err: Error): void {
  this[CLIENT]?.onerror(err);
}
function onEngineClose(this: EngineSocket & WithClient, reason: DisconnectReason, description?: unknown): void {
  this[CLIENT]?.onclose(reason, description);
}
function onDecoded(this: PacketDecoder & WithClient, packet: Packet): void {
  this[CLIENT]?.ondecoded(packet);
}
function deliverPacket(socket: Socket, packet: Packet): void {
  socket._onpacket(packet);
}

function sizeOf(packets: readonly EngineData[]): number {
  let bytes = 0;
  for (const packet of packets) bytes += typeof packet === "string" ? packet.length : packet.byteLength;
  return bytes;
}

/**
 * One Engine.IO connection and the Socket.IO sockets multiplexed over it (one per namespace).
 * Decodes what the client sends, routes it to its socket, and writes what the sockets send.
 */
export class Client<
  ListenEvents extends EventsMap = EventsMap,
  EmitEvents extends EventsMap = EventsMap,
  ServerSideEvents extends EventsMap = EventsMap,
  SocketData = unknown,
> {
  readonly conn: EngineSocket;
  /** The engine session id. */
  readonly id: string;
  private readonly server: Server<ListenEvents, EmitEvents, ServerSideEvents, SocketData>;
  private decoder: PacketDecoder | undefined;
  /** The connected sockets by namespace name. */
  private readonly nsps = new Map<string, Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>();
  /** Namespaces whose CONNECT is being processed (middlewares), created on first use. */
  private pendingConnects: Set<string> | undefined;
  /** Bytes written while the engine still had packets queued: the backlog of a slow reader. */
  private backlogBytes = 0;
  /** Whether the client waits in the server's connect-timeout queue. */
  _awaitingConnect = true;

  constructor(server: Server<ListenEvents, EmitEvents, ServerSideEvents, SocketData>, conn: EngineSocket) {
    this.server = server;
    this.conn = conn;
    this.id = conn.id;
    (conn as EngineSocket & WithClient)[CLIENT] = this as unknown as Client;
    conn.on("data", onEngineData);
    conn.on("error", onEngineError);
    conn.on("close", onEngineClose);
    server._connectDeadlines.add(this as unknown as Client);
  }

  /** The HTTP request that opened the connection. */
  get request(): IncomingMessage {
    return this.conn.request;
  }

  /** The socket of each connected namespace, by socket id. */
  get sockets(): Map<string, Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>> {
    const byId = new Map<string, Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>();
    for (const socket of this.nsps.values()) byId.set(socket.id, socket);
    return byId;
  }

  /** Called by the connect-timeout queue: closes the connection if no namespace was joined. */
  _onConnectTimeout(): void {
    this._awaitingConnect = false;
    if (this.nsps.size === 0) {
      debug("no namespace joined within connectTimeout, closing %s", this.id);
      this.close();
    }
  }

  /** Connects the client to a namespace (creating a dynamic one if a parent namespace allows it). */
  connect(name: string, auth: Record<string, unknown> = {}): void {
    // Pending from now on, through an asynchronous dynamic-namespace check and the middlewares.
    (this.pendingConnects ??= new Set()).add(name);
    if (this.server._nsps.has(name)) {
      debug("connecting to namespace %s", name);
      this.doConnect(name, auth);
      return;
    }
    this.server._checkNamespace(name, auth, (dynamicNamespace) => {
      if (dynamicNamespace) {
        this.doConnect(name, auth);
      } else {
        debug("creation of namespace %s was denied", name);
        this.connectSettled(name);
        this._packet({ type: PacketType.CONNECT_ERROR, nsp: name, data: { message: "Invalid namespace" } });
      }
    });
  }

  private doConnect(name: string, auth: Record<string, unknown>): void {
    const nsp = this.server.of(name);
    void nsp._add(this, auth, (socket) => {
      this.nsps.set(nsp.name, socket);
      if (this._awaitingConnect) {
        this._awaitingConnect = false;
        this.server._connectDeadlines.delete(this as unknown as Client);
      }
    }).finally(() => this.connectSettled(name));
  }

  private connectSettled(name: string): void {
    const pending = this.pendingConnects;
    if (!pending) return;
    pending.delete(name);
    // Most clients connect once: do not keep an empty set per connection.
    if (pending.size === 0) this.pendingConnects = undefined;
  }

  /** Disconnects every socket of this client and closes the connection (`socket.disconnect(true)`). */
  _disconnect(): void {
    for (const socket of [...this.nsps.values()]) socket.disconnect();
    this.nsps.clear();
    this.close();
  }

  /** Forgets a socket that left its namespace. */
  _remove(socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>): void {
    const name = socket.nsp.name;
    if (this.nsps.get(name) === socket) this.nsps.delete(name);
    else debug("ignoring remove for %s", socket.id);
  }

  /** Closes the underlying connection. */
  private close(reason: DisconnectReason = "forced server close", discard = false): void {
    if (this.conn.readyState === "open") {
      debug("forcing transport close (%s)", reason);
      // Our reason first: an engine that closes synchronously would otherwise report "forced close".
      this.onclose(reason);
      this.conn.close(discard);
    }
  }

  /** Encodes and writes one packet. Encoding errors (cyclic or too deeply nested data) drop the packet. */
  _packet(packet: OutgoingPacket | EngineData[], opts: WriteOptions = {}): void {
    if (this.conn.readyState !== "open") {
      debug("ignoring packet write %j", packet);
      return;
    }
    if (opts.preEncoded) {
      // Adapters written for socket.io-adapter < 2.3 pass encoded packets through socket.packet().
      this.writeToEngine(packet as EngineData[], opts);
      return;
    }
    const outgoing = packet as OutgoingPacket;
    let encoded: EngineData[];
    try {
      encoded = this.server.encoder.encode(outgoing as Packet);
    } catch (err) {
      debug("could not encode packet: %s", err);
      const socket = this.nsps.get(outgoing.nsp ?? "/");
      socket?._onerror(new Error(`sockwave: a packet could not be encoded and was not sent (${String(err)})`));
      return;
    }
    this.write(encoded, encoded, opts);
  }

  /**
   * Writes packets encoded once for many recipients (the adapter's broadcast path). Every recipient
   * of one broadcast passes the same array, so its prepared frames are computed once and shared.
   */
  writeToEngine(encodedPackets: EngineData[] | EngineData, opts: WriteOptions): void {
    const packets = Array.isArray(encodedPackets) ? encodedPackets : [encodedPackets];
    this.write(preparedMessagesFor(packets), packets, opts);
  }

  private write(messages: readonly unknown[], encoded: readonly EngineData[], opts: WriteOptions): void {
    const conn = this.conn;
    if (opts.volatile && !conn.transport.writable) {
      debug("volatile packet discarded: the transport is not writable");
      return;
    }
    if (conn.readyState !== "open") return;
    for (const message of messages) conn.write(message, opts);
    this.checkBacklog(encoded);
  }

  /**
   * The slow-consumer policy: when a client does not read fast enough, data piles up in the engine's
   * write buffer and in the transport (the TCP socket). Past `maxOutboundPackets` queued packets or
   * `maxOutboundBytes` queued bytes the connection is closed with the reason "outbound buffer
   * overflow" and the queued data is discarded.
   */
  private checkBacklog(encoded: readonly EngineData[]): void {
    const conn = this.conn;
    const limits = this.server._outboundLimits;
    const queued = conn.writeBuffer.length;
    if (queued === 0) {
      this.backlogBytes = 0;
    } else {
      // Engines flush their whole buffer at once: when only this write is queued, the backlog restarts.
      const size = sizeOf(encoded);
      this.backlogBytes = queued <= encoded.length ? size : this.backlogBytes + size;
    }
    const bytes = this.backlogBytes + (conn.bufferedAmount ?? 0);
    if (queued > limits.packets || bytes > limits.bytes) {
      debug("client %s fell behind (%d packets, %d bytes queued)", this.id, queued, bytes);
      this.close("outbound buffer overflow", true);
    }
  }

  /** Data from the engine: feeds the decoder; a malformed packet closes the connection. */
  ondata(data: unknown): void {
    let decoder = this.decoder;
    if (!decoder) {
      decoder = this.decoder = new this.server._parser.Decoder();
      (decoder as PacketDecoder & WithClient)[CLIENT] = this as unknown as Client;
      decoder.on("decoded", onDecoded);
    }
    try {
      decoder.add(data);
    } catch (err) {
      debug("invalid packet format: %s", err);
      this.onerror(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** A complete packet: CONNECT opens a namespace; anything else goes to that namespace's socket. */
  ondecoded(packet: Packet): void {
    const { namespace, authPayload } = this.parseNamespace(packet);
    const socket = this.nsps.get(namespace);
    if (!socket && packet.type === PacketType.CONNECT) {
      const pending = this.pendingConnects;
      if (pending?.has(namespace)) {
        // A client calling connect() twice sends CONNECT twice: one socket is enough.
        debug("ignoring a repeated CONNECT for %s (already being processed)", namespace);
        return;
      }
      if (pending && pending.size >= MAX_PENDING_CONNECTS) {
        debug("too many CONNECT packets awaiting middlewares, closing");
        this.close();
        return;
      }
      this.connect(namespace, authPayload);
    } else if (socket && packet.type !== PacketType.CONNECT && packet.type !== PacketType.CONNECT_ERROR) {
      process.nextTick(deliverPacket, socket, packet);
    } else {
      debug("invalid state (packet type %d for namespace %s), closing", packet.type, namespace);
      this.close();
    }
  }

  private parseNamespace(packet: Packet): { namespace: string; authPayload: Record<string, unknown> } {
    if (this.conn.protocol !== 3) {
      const auth = packet.data;
      return {
        namespace: packet.nsp,
        authPayload: typeof auth === "object" && auth !== null ? (auth as Record<string, unknown>) : {},
      };
    }
    // Socket.IO v2 clients send the query string of their namespace in the namespace itself.
    const url = new URL(packet.nsp, "https://socket.io");
    const authPayload: Record<string, unknown> = Object.create(null);
    for (const [key, value] of url.searchParams) authPayload[key] = value;
    return { namespace: url.pathname, authPayload };
  }

  /** A decoding or engine error: every socket is told, then the connection is closed. */
  onerror(err: Error): void {
    for (const socket of this.nsps.values()) socket._onerror(err);
    this.conn.close();
  }

  /** The connection is gone: every socket disconnects with the engine's reason. */
  onclose(reason: DisconnectReason, description?: unknown): void {
    debug("client %s closed (%s)", this.id, reason);
    this.destroy();
    for (const socket of [...this.nsps.values()]) socket._onclose(reason, description);
    this.nsps.clear();
    this.decoder?.destroy();
  }

  private destroy(): void {
    const conn = this.conn as EngineSocket & WithClient;
    conn.removeListener("data", onEngineData);
    conn.removeListener("error", onEngineError);
    conn.removeListener("close", onEngineClose);
    conn[CLIENT] = undefined;
    const decoder = this.decoder as (PacketDecoder & WithClient) | undefined;
    if (decoder) {
      decoder.removeListener?.("decoded", onDecoded);
      decoder[CLIENT] = undefined;
    }
    if (this._awaitingConnect) {
      this._awaitingConnect = false;
      this.server._connectDeadlines.delete(this as unknown as Client);
    }
  }
}
