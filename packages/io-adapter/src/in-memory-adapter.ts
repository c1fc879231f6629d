import { EventEmitter } from "node:events";
import type {
  AckCallback,
  AdapterNamespace,
  AdapterPacket,
  AdapterSocket,
  BroadcastOptions,
  EncodedPacket,
  PacketEncoder,
  PrivateSessionId,
  RemoteSocketDetails,
  Room,
  Session,
  SessionToPersist,
  SocketId,
  WriteOptions,
} from "./types";

/**
 * The events an adapter emits when its room table changes, for reference: the emitter itself is
 * untyped, as socket.io-adapter's, so that subclasses may emit their own (a Redis adapter emits `error`).
 */
export interface AdapterEvents {
  "create-room": [room: Room];
  "delete-room": [room: Room];
  "join-room": [room: Room, id: SocketId];
  "leave-room": [room: Room, id: SocketId];
}

/** A socket matched by a filter: a local socket, or the description of one on another node. */
export type FetchedSocket = AdapterSocket | RemoteSocketDetails;

/**
 * The in-memory adapter: the room table of one namespace on one server, and the local half of
 * every broadcast and cross-socket operation. Multi-node adapters extend it (see ClusterAdapter).
 */
export class Adapter extends EventEmitter {
  /** Room name to the ids of its members. */
  public rooms: Map<Room, Set<SocketId>> = new Map();
  /** Socket id to the rooms it is in. */
  public sids: Map<SocketId, Set<Room>> = new Map();
  protected readonly encoder: PacketEncoder;

  constructor(public readonly nsp: AdapterNamespace) {
    super();
    this.encoder = nsp.server.encoder;
  }

  /** Called by the server once the namespace is ready; multi-node adapters subscribe here. */
  init(): Promise<void> | void {}

  /** Called by the server when it closes; multi-node adapters unsubscribe and stop timers here. */
  close(): Promise<void> | void {}

  /** The number of Socket.IO servers sharing this namespace: always 1 in memory. */
  serverCount(): Promise<number> {
    return Promise.resolve(1);
  }

  /** A hook for diagnostics; silent here. Subclasses may route it to their logger. */
  protected log(_message: string, ..._args: unknown[]): void {}

  /** Adds socket `id` to each of `rooms`. */
  addAll(id: SocketId, rooms: Iterable<Room>): Promise<void> | void {
    let joined = this.sids.get(id);
    if (joined === undefined) {
      joined = new Set();
      this.sids.set(id, joined);
    }
    for (const room of rooms) {
      joined.add(room);
      let members = this.rooms.get(room);
      if (members === undefined) {
        members = new Set();
        this.rooms.set(room, members);
        this.emit("create-room", room);
      }
      if (!members.has(id)) {
        members.add(id);
        this.emit("join-room", room, id);
      }
    }
  }

  /** Removes socket `id` from `room`. */
  del(id: SocketId, room: Room): Promise<void> | void {
    this.sids.get(id)?.delete(room);
    this.removeMember(room, id);
  }

  /** Removes socket `id` from every room it is in. */
  delAll(id: SocketId): void {
    const joined = this.sids.get(id);
    if (joined === undefined) return;
    for (const room of joined) this.removeMember(room, id);
    this.sids.delete(id);
  }

  private removeMember(room: Room, id: SocketId): void {
    const members = this.rooms.get(room);
    if (members === undefined) return;
    if (members.delete(id)) this.emit("leave-room", room, id);
    if (members.size === 0 && this.rooms.delete(room)) this.emit("delete-room", room);
  }

  /**
   * Sends `packet` to every matching local socket. The packet is encoded once, on the first match
   * (never when nothing matches), and the same array and options object go to every recipient.
   */
  broadcast(packet: AdapterPacket, opts: BroadcastOptions): Promise<void> | void {
    const writeOptions = writeOptionsOf(opts);
    packet.nsp = this.nsp.name;
    let encoded: EncodedPacket[] | undefined;
    this.apply(opts, (socket) => {
      encoded ??= this.encoder.encode(packet);
      socket.notifyOutgoingListeners?.(packet);
      socket.client.writeToEngine(encoded, writeOptions);
    });
  }

  /**
   * Sends `packet` with one ack id to every matching local socket, reports how many got it through
   * `clientCountCallback`, then calls `ack` once per client answer.
   */
  broadcastWithAck(
    packet: AdapterPacket,
    opts: BroadcastOptions,
    clientCountCallback: (clientCount: number) => void,
    ack: AckCallback,
  ): Promise<void> | void {
    const writeOptions = writeOptionsOf(opts);
    packet.nsp = this.nsp.name;
    // One id serves every recipient: the namespace counter never hands it out twice.
    const ackId = this.nsp._ids++;
    packet.id = ackId;
    let encoded: EncodedPacket[] | undefined;
    let clientCount = 0;
    this.apply(opts, (socket) => {
      encoded ??= this.encoder.encode(packet);
      clientCount++;
      socket.acks.set(ackId, ack);
      socket.notifyOutgoingListeners?.(packet);
      socket.client.writeToEngine(encoded, writeOptions);
    });
    clientCountCallback(clientCount);
  }

  /** The ids of the local sockets in any of `rooms` (every socket when empty). */
  sockets(rooms: Set<Room>): Promise<Set<SocketId>> {
    const ids = new Set<SocketId>();
    this.apply({ rooms }, (socket) => {
      ids.add(socket.id);
    });
    return Promise.resolve(ids);
  }

  /** The rooms local socket `id` is in. */
  socketRooms(id: SocketId): Set<Room> | undefined {
    return this.sids.get(id);
  }

  /** The matching sockets (local ones only, here). */
  fetchSockets(opts: BroadcastOptions): Promise<FetchedSocket[]> {
    return Promise.resolve(this.matchingSockets(opts));
  }

  /** Makes the matching sockets join `rooms`. */
  addSockets(opts: BroadcastOptions, rooms: Room[]): Promise<void> | void {
    for (const socket of this.matchingSockets(opts)) socket.join(rooms);
  }

  /** Makes the matching sockets leave `rooms`. */
  delSockets(opts: BroadcastOptions, rooms: Room[]): Promise<void> | void {
    for (const socket of this.matchingSockets(opts)) {
      for (const room of rooms) socket.leave(room);
    }
  }

  /** Disconnects the matching sockets (and their whole connection when `close` is true). */
  disconnectSockets(opts: BroadcastOptions, close: boolean): Promise<void> | void {
    for (const socket of this.matchingSockets(opts)) socket.disconnect(close);
  }

  /**
   * Sends `[event, ...args, ack?]` to the other servers. There are none in memory: an ack, if given,
   * is answered with no error and no responses (socket.io-adapter only prints a warning).
   */
  serverSideEmit(packet: unknown[]): Promise<void> | void {
    const ack = packet[packet.length - 1];
    if (typeof ack === "function") {
      queueMicrotask(() => (ack as (err: Error | null, responses: unknown[]) => void)(null, []));
    }
  }

  /** Saves a disconnected socket's session; only session-aware adapters keep it. */
  persistSession(_session: SessionToPersist): Promise<void> | void {}

  /** Finds a saved session and the packets it missed; `null` when this adapter cannot recover. */
  restoreSession(_pid: PrivateSessionId, _offset: string): Promise<Session | null> {
    return Promise.resolve(null);
  }

  /**
   * A snapshot of the matching sockets, for operations that change room membership while they run
   * (joining, leaving and disconnecting must not disturb the iteration).
   */
  protected matchingSockets(opts: BroadcastOptions): AdapterSocket[] {
    const matched: AdapterSocket[] = [];
    this.apply(opts, (socket) => {
      matched.push(socket);
    });
    return matched;
  }

  /**
   * Calls `visit` once for every local socket that is in one of `opts.rooms` (every socket when
   * there is none) and in none of `opts.except`. The common cases (one room, no exceptions) take
   * paths without a de-duplication set or an exception lookup.
   */
  protected apply(opts: BroadcastOptions, visit: (socket: AdapterSocket) => void): void {
    const sockets = this.nsp.sockets;
    const except = this.computeExceptSids(opts.except);
    const rooms = opts.rooms;
    if (rooms.size === 0) {
      for (const id of this.sids.keys()) {
        if (except !== undefined && except.has(id)) continue;
        const socket = sockets.get(id);
        if (socket !== undefined) visit(socket);
      }
      return;
    }
    if (rooms.size === 1) {
      const [room] = rooms;
      const members = this.rooms.get(room as Room);
      if (members === undefined) return;
      for (const id of members) {
        if (except !== undefined && except.has(id)) continue;
        const socket = sockets.get(id);
        if (socket !== undefined) visit(socket);
      }
      return;
    }
    // Members of several rooms are visited once: the first room needs no lookup in `visited`, and
    // the last one need not record anything in it.
    const visited = new Set<SocketId>();
    let remaining = rooms.size;
    for (const room of rooms) {
      remaining--;
      const members = this.rooms.get(room);
      if (members === undefined) continue;
      const first = visited.size === 0;
      for (const id of members) {
        if ((!first && visited.has(id)) || (except !== undefined && except.has(id))) continue;
        const socket = sockets.get(id);
        if (socket === undefined) continue;
        if (remaining > 0) visited.add(id);
        visit(socket);
      }
    }
  }

  /**
   * The ids of the members of the `except` rooms, or `undefined` when nobody is excluded. With one
   * except room (the usual `socket.broadcast`), that room's own member set, not a copy.
   */
  protected computeExceptSids(exceptRooms: Set<Room> | undefined): ReadonlySet<SocketId> | undefined {
    if (exceptRooms === undefined || exceptRooms.size === 0) return undefined;
    if (exceptRooms.size === 1) {
      const [room] = exceptRooms;
      return this.rooms.get(room as Room);
    }
    const excluded = new Set<SocketId>();
    for (const room of exceptRooms) {
      const members = this.rooms.get(room);
      if (members === undefined) continue;
      for (const id of members) excluded.add(id);
    }
    return excluded;
  }
}

function writeOptionsOf(opts: BroadcastOptions): WriteOptions {
  const flags = opts.flags;
  return { preEncoded: true, volatile: flags?.volatile, compress: flags?.compress };
}
