import type { IncomingMessage } from "node:http";
import debugModule from "debug";
import type { EngineData, EngineSocket, EngineWriteOptions } from "./engine";
import { PacketType, type OutgoingPacket, type Packet, type PacketDecoder, type Parser } from "./parser-contract";
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
/**
 * A decoder shared by every client of a server using @sockwave/io-parser, for text packets other
 * than BINARY_EVENT and BINARY_ACK: those decode synchronously and leave no state behind, so a
 * client needs a decoder of its own only once it sends a binary packet (attachments span several
 * messages). Saves a decoder and its listener store per connection.
 */
export function createSharedDecoder(parser: Parser): PacketDecoder {
  const decoder = new parser.Decoder();
  decoder.on("decoded", onDecoded);
  return decoder;
}

const BINARY_EVENT_DIGIT = 48 + PacketType.BINARY_EVENT;
const BINARY_ACK_DIGIT = 48 + PacketType.BINARY_ACK;

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
  /**
   * The connected sockets. Most clients join one namespace: that socket is kept alone in `only`, and
   * a Map by namespace name (`byNamespace`) is built only when a client joins a second one.
   */
  private only: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData> | undefined;
  private byNamespace: Map<string, Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>> | undefined;
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
    for (const socket of this.socketList()) byId.set(socket.id, socket);
    return byId;
  }

  /** The connected socket of a namespace. */
  private socketOf(name: string): Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData> | undefined {
    const only = this.only;
    if (only) return only.nsp.name === name ? only : undefined;
    return this.byNamespace?.get(name);
  }

  /** A snapshot of the connected sockets (safe to iterate while they leave). */
  private socketList(): Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>[] {
    if (this.only) return [this.only];
    return this.byNamespace ? [...this.byNamespace.values()] : [];
  }

  private get socketCount(): number {
    return this.only ? 1 : (this.byNamespace?.size ?? 0);
  }

  private forgetSockets(): void {
    this.only = undefined;
    this.byNamespace = undefined;
  }

  /** Called by a namespace once its socket for this client is connected. */
  _onSocketConnected(socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>): void {
    const name = socket.nsp.name;
    const only = this.only;
    if (this.byNamespace) {
      this.byNamespace.set(name, socket);
    } else if (!only || only.nsp.name === name) {
      this.only = socket;
    } else {
      this.byNamespace = new Map([
        [only.nsp.name, only],
        [name, socket],
      ]);
      this.only = undefined;
    }
    if (this._awaitingConnect) {
      this._awaitingConnect = false;
      this.server._connectDeadlines.delete(this as unknown as Client);
    }
  }

  /** Called by the connect-timeout queue: closes the connection if no namespace was joined. */
  _onConnectTimeout(): void {
    this._awaitingConnect = false;
    if (this.socketCount === 0) {
      debug("no namespace joined within connectTimeout, closing %s", this.id);
      this.close();
    }
  }

  /** Connects the client to a namespace (creating a dynamic one if a parent namespace allows it). */
  connect(name: string, auth?: Record<string, unknown>): void {
    // Pending from now on, through an asynchronous dynamic-namespace check and the middlewares.
    (this.pendingConnects ??= new Set()).add(name);
    const nsp = this.server._nsps.get(name);
    if (nsp) {
      if (debug.enabled) debug("connecting to namespace %s", name);
      nsp._add(this, auth, name);
      return;
    }
    this.server._checkNamespace(name, auth ?? {}, (dynamicNamespace) => {
      if (dynamicNamespace) {
        this.server.of(name)._add(this, auth, name);
      } else {
        debug("creation of namespace %s was denied", name);
        this._connectSettled(name);
        this._packet({ type: PacketType.CONNECT_ERROR, nsp: name, data: { message: "Invalid namespace" } });
      }
    });
  }

  /** Called by a namespace once the CONNECT for `name` is over (connected, refused or abandoned). */
  _connectSettled(name: string): void {
    const pending = this.pendingConnects;
    if (!pending) return;
    pending.delete(name);
    // Most clients connect once: do not keep an empty set per connection.
    if (pending.size === 0) this.pendingConnects = undefined;
  }

  /** Disconnects every socket of this client and closes the connection (`socket.disconnect(true)`). */
  _disconnect(): void {
    for (const socket of this.socketList()) socket.disconnect();
    this.forgetSockets();
    this.close();
  }

  /** Forgets a socket that left its namespace. */
  _remove(socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>): void {
    if (this.only === socket) {
      this.only = undefined;
      return;
    }
    const byNamespace = this.byNamespace;
    const name = socket.nsp.name;
    if (byNamespace?.get(name) === socket) {
      byNamespace.delete(name);
      if (byNamespace.size === 0) this.byNamespace = undefined;
    } else {
      debug("ignoring remove for %s", socket.id);
    }
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
      const socket = this.socketOf(outgoing.nsp ?? "/");
      socket?._onerror(new Error(`sockwave: a packet could not be encoded and was not sent (${String(err)})`));
      return;
    }
    this.write(encoded, encoded, opts);
  }

  /** Writes packets the caller encoded itself (with the server's default encoder's output format). */
  _writeEncoded(encoded: EngineData[], opts: WriteOptions): void {
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
      const shared = this.server._sharedDecoder as (PacketDecoder & WithClient) | undefined;
      if (shared && typeof data === "string") {
        const digit = data.charCodeAt(0);
        if (digit !== BINARY_EVENT_DIGIT && digit !== BINARY_ACK_DIGIT) {
          // The decoded packet reaches this client through the back-reference; restored afterwards
          // in case a listener makes another client decode meanwhile.
          const previous = shared[CLIENT];
          shared[CLIENT] = this as unknown as Client;
          try {
            shared.add(data);
          } catch (err) {
            debug("invalid packet format: %s", err);
            this.onerror(err instanceof Error ? err : new Error(String(err)));
          } finally {
            shared[CLIENT] = previous;
          }
          return;
        }
      }
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
    let namespace: string;
    let authPayload: Record<string, unknown> | undefined;
    if (this.conn.protocol !== 3) {
      namespace = packet.nsp;
      const auth = packet.data;
      // No payload: the socket builds an empty `handshake.auth` when it is first read.
      if (typeof auth === "object" && auth !== null) authPayload = auth as Record<string, unknown>;
    } else {
      ({ namespace, authPayload } = parseV2Namespace(packet.nsp));
    }
    const socket = this.socketOf(namespace);
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

  /** A decoding or engine error: every socket is told, then the connection is closed. */
  onerror(err: Error): void {
    for (const socket of this.socketList()) socket._onerror(err);
    this.conn.close();
  }

  /** The connection is gone: every socket disconnects with the engine's reason. */
  onclose(reason: DisconnectReason, description?: unknown): void {
    if (debug.enabled) debug("client %s closed (%s)", this.id, reason);
    this.destroy();
    const only = this.only;
    if (only) {
      this.only = undefined;
      only._onclose(reason, description);
    } else if (this.byNamespace) {
      for (const socket of this.socketList()) socket._onclose(reason, description);
      this.byNamespace = undefined;
    }
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

/** Socket.IO v2 clients send the query string of their namespace in the namespace itself. */
function parseV2Namespace(nsp: string): { namespace: string; authPayload: Record<string, unknown> } {
  const url = new URL(nsp, "https://socket.io");
  const authPayload: Record<string, unknown> = Object.create(null);
  for (const [key, value] of url.searchParams) authPayload[key] = value;
  return { namespace: url.pathname, authPayload };
}
