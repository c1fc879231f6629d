/**
 * The contract between an adapter and the Socket.IO server that owns it.
 *
 * The adapter cannot import the server (the server depends on the adapter), so everything it
 * touches on the namespace and its sockets is described here as structural types. A server whose
 * `Namespace` and `Socket` satisfy {@link AdapterNamespace} and {@link AdapterSocket} can use any
 * adapter built on this package; an adapter author may rely on exactly these members and no others.
 */

/** A Socket.IO socket id (random, 20 characters for Sockwave and socket.io 4). */
export type SocketId = string;

/** The private session id handed to a client when connection state recovery is enabled. */
export type PrivateSessionId = string;

/** A room name. Every socket is in the room named after its own id. */
export type Room = string;

/** The modifiers of a broadcast (`io.volatile`, `io.compress(false)`, `io.local`, `io.timeout(ms)`). */
export interface BroadcastFlags {
  volatile?: boolean;
  compress?: boolean;
  local?: boolean;
  broadcast?: boolean;
  binary?: boolean;
  timeout?: number;
  /** Other modifiers a server or adapter may add travel untouched. */
  [flag: string]: unknown;
}

/** Which sockets an operation targets: members of `rooms` (everyone when empty) not in any `except` room. */
export interface BroadcastOptions {
  rooms: Set<Room>;
  except?: Set<Room>;
  flags?: BroadcastFlags;
}

/**
 * A Socket.IO packet as the server hands it to the adapter (the shape of socket.io-parser's packet).
 * `type` is 2 (EVENT) for broadcasts; `data` is `[eventName, ...args]`.
 */
export interface AdapterPacket {
  type: number;
  nsp?: string;
  data?: unknown;
  id?: number;
  attachments?: number;
}

/** An event packet: the kind of packet that is broadcast and stored for connection state recovery. */
export interface BroadcastPacket extends AdapterPacket {
  data: unknown[];
}

/** What `Encoder#encode` returns: the text packet, followed by binary attachments if any. */
export type EncodedPacket = string | ArrayBuffer | ArrayBufferView;

/** The options every recipient of one broadcast receives (the very same object). */
export interface WriteOptions {
  /** Always true: the packets were encoded by the adapter. */
  preEncoded: true;
  volatile?: boolean;
  compress?: boolean;
}

/** The server's packet encoder (`server.encoder`: an io-parser or msgpack-parser `Encoder`). */
export interface PacketEncoder {
  encode(packet: AdapterPacket): EncodedPacket[];
}

/** The engine-side client of a socket: the one write path a broadcast uses. */
export interface AdapterClient {
  /**
   * Writes already-encoded packets. The same array and options object go to every recipient of a
   * broadcast, so the client may cache per-array work (io-server keeps prepared frames per array).
   */
  writeToEngine(encodedPackets: EncodedPacket[], opts: WriteOptions): void;
}

/** An acknowledgement callback registered on a socket for a broadcast with acks. */
export type AckCallback = (...args: unknown[]) => void;

/** What the adapter uses of a server-side socket. */
export interface AdapterSocket {
  readonly id: SocketId;
  readonly client: AdapterClient;
  /** Pending acknowledgements by packet id; `broadcastWithAck` registers one per recipient. */
  readonly acks: Map<number, AckCallback>;
  readonly handshake: object;
  readonly rooms: Set<Room>;
  readonly data: unknown;
  join(rooms: Room | Room[]): unknown;
  leave(room: Room): unknown;
  disconnect(close?: boolean): unknown;
  /** Called before each broadcast packet is written, for `socket.onAnyOutgoing` listeners. */
  notifyOutgoingListeners?(packet: AdapterPacket): void;
}

/** The `connectionStateRecovery` server option, once the server has filled in its defaults. */
export interface ConnectionStateRecoveryOptions {
  /** How long (ms) a disconnected session and the packets it may miss are kept. Default 120000. */
  maxDisconnectionDuration?: number;
  /** Whether a recovered socket skips the namespace middlewares. Default true. */
  skipMiddlewares?: boolean;
}

/** What the adapter uses of the server that owns the namespace. */
export interface AdapterServer {
  readonly encoder: PacketEncoder;
  readonly opts: {
    connectionStateRecovery?: ConnectionStateRecoveryOptions | false;
  };
}

/** What the adapter uses of the namespace it serves. */
export interface AdapterNamespace<S extends AdapterSocket = AdapterSocket> {
  readonly name: string;
  readonly server: AdapterServer;
  readonly sockets: ReadonlyMap<SocketId, S>;
  /** The namespace's ack id counter; `broadcastWithAck` takes one id for all recipients. */
  _ids: number;
  /** Emits a server-side event received from another node (`args` is `[event, ...args, ack?]`). */
  _onServerSideEmit(args: unknown[]): void;
}

/** A session saved when a socket disconnects, for connection state recovery. */
export interface SessionToPersist {
  sid: SocketId;
  pid: PrivateSessionId;
  rooms: Room[];
  data: unknown;
}

/** A restored session: the saved session plus the event packets' data the client missed. */
export interface Session extends SessionToPersist {
  missedPackets: unknown[][];
}

/**
 * A socket as returned by `fetchSockets()`: a local socket object, or a plain description of a
 * socket on another node (`{ id, handshake, rooms, data }`), which the server wraps in a RemoteSocket.
 */
export interface RemoteSocketDetails {
  id: SocketId;
  handshake: object;
  rooms: Room[];
  data: unknown;
}
