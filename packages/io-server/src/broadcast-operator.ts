import type { Adapter, BroadcastFlags, Room, SocketId } from "@sockwave/io-adapter";
import debugModule from "debug";
import { PacketType, type Packet } from "./parser-contract";
import { RESERVED_EVENTS, type Handshake } from "./socket-types";
import type {
  AllButLast,
  DecorateAcknowledgements,
  EventNames,
  EventNamesWithError,
  EventParams,
  EventsMap,
  FirstNonErrorArg,
  Last,
  TypedEventBroadcaster,
} from "./typed-events";

const debug = debugModule("sockwave:io:broadcast");

export type OperatorFlags = BroadcastFlags & {
  /** Set by RemoteSocket: an acknowledgement gets one response, not an array. */
  expectSingleResponse?: boolean;
};

type AckWithResponses = (err: Error | null, responses: unknown) => void;

/** A timed-out or failed broadcast acknowledgement; `responses` holds what did arrive. */
interface ResponsesError extends Error {
  responses?: unknown;
}

/**
 * The target of a broadcast: rooms to include and exclude, plus modifiers. Every modifier returns a
 * new operator, so `io.to("a")` can be kept and reused.
 */
export class BroadcastOperator<EmitEvents extends EventsMap, SocketData> implements TypedEventBroadcaster<EmitEvents> {
  constructor(
    private readonly adapter: Adapter,
    private readonly rooms: Set<Room> = new Set<Room>(),
    private readonly exceptRooms: Set<Room> = new Set<Room>(),
    private readonly flags: OperatorFlags = {},
  ) {}

  /** Adds a room (or rooms) to the targets. */
  to(room: Room | Room[]): BroadcastOperator<EmitEvents, SocketData> {
    const rooms = new Set(this.rooms);
    if (Array.isArray(room)) for (const r of room) rooms.add(r);
    else rooms.add(room);
    return new BroadcastOperator(this.adapter, rooms, this.exceptRooms, this.flags);
  }

  /** Alias of `to()`. */
  in(room: Room | Room[]): BroadcastOperator<EmitEvents, SocketData> {
    return this.to(room);
  }

  /** Excludes the members of a room (or rooms). */
  except(room: Room | Room[]): BroadcastOperator<EmitEvents, SocketData> {
    const exceptRooms = new Set(this.exceptRooms);
    if (Array.isArray(room)) for (const r of room) exceptRooms.add(r);
    else exceptRooms.add(room);
    return new BroadcastOperator(this.adapter, this.rooms, exceptRooms, this.flags);
  }

  /** Whether the packets may be compressed. */
  compress(compress: boolean): BroadcastOperator<EmitEvents, SocketData> {
    return this.withFlags({ compress });
  }

  /** Recipients that are not ready to receive drop the packet. */
  get volatile(): BroadcastOperator<EmitEvents, SocketData> {
    return this.withFlags({ volatile: true });
  }

  /** Only the sockets of this node (no fan-out through a cluster adapter). */
  get local(): BroadcastOperator<EmitEvents, SocketData> {
    return this.withFlags({ local: true });
  }

  /** The acknowledgement fails with "operation has timed out" after `timeout` ms. */
  timeout(timeout: number): BroadcastOperator<DecorateAcknowledgements<EmitEvents>, SocketData> {
    return this.withFlags({ timeout }) as BroadcastOperator<DecorateAcknowledgements<EmitEvents>, SocketData>;
  }

  /** A no-op kept from socket.io 2 (binary detection is automatic). */
  binary(_binary?: boolean): BroadcastOperator<EmitEvents, SocketData> {
    return this;
  }

  private withFlags(extra: OperatorFlags): BroadcastOperator<EmitEvents, SocketData> {
    return new BroadcastOperator(this.adapter, this.rooms, this.exceptRooms, { ...this.flags, ...extra });
  }

  /**
   * Emits to every targeted socket. With a function as last argument (and `timeout()`), the function
   * receives every client's acknowledgement once all arrived, or an Error when time is up.
   */
  emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): boolean {
    if (RESERVED_EVENTS.has(ev)) throw new Error(`"${String(ev)}" is a reserved event name`);
    const data: unknown[] = [ev, ...args];
    const packet = { type: PacketType.EVENT, data } as Packet;
    const options = { rooms: this.rooms, except: this.exceptRooms, flags: this.flags };
    if (typeof data[data.length - 1] !== "function") {
      this.adapter.broadcast(packet, options);
      return true;
    }
    this.broadcastWithAck(packet, data.pop() as AckWithResponses, options);
    return true;
  }

  private broadcastWithAck(
    packet: Packet,
    ack: AckWithResponses,
    options: { rooms: Set<Room>; except: Set<Room>; flags: OperatorFlags },
  ): void {
    const single = this.flags.expectSingleResponse === true;
    const responses: unknown[] = [];
    let timedOut = false;
    let expectedServers = -1;
    let answeredServers = 0;
    let expectedClients = 0;
    const timer = setTimeout(() => {
      timedOut = true;
      debug("broadcast acknowledgement timed out");
      const id = packet.id;
      if (id !== undefined) {
        // The late answers have nowhere to go: release their callbacks.
        for (const socket of this.adapter.nsp.sockets.values()) socket.acks.delete(id);
      }
      ack.call(this, new Error("operation has timed out"), single ? null : responses);
    }, this.flags.timeout);
    const checkComplete = (): void => {
      if (!timedOut && expectedServers === answeredServers && responses.length === expectedClients) {
        clearTimeout(timer);
        ack.call(this, null, single ? responses[0] : responses);
      }
    };
    this.adapter.broadcastWithAck(
      packet,
      options,
      (clientCount: number) => {
        expectedClients += clientCount;
        answeredServers++;
        checkComplete();
      },
      (response: unknown) => {
        responses.push(response);
        checkComplete();
      },
    );
    void Promise.resolve(this.adapter.serverCount()).then((count) => {
      expectedServers = count;
      checkComplete();
    });
  }

  /** Emits and resolves with every acknowledgement (rejects on timeout, with `err.responses`). */
  emitWithAck<Ev extends EventNamesWithError<EmitEvents>>(
    ev: Ev,
    ...args: AllButLast<EventParams<EmitEvents, Ev>>
  ): Promise<FirstNonErrorArg<Last<EventParams<EmitEvents, Ev>>>> {
    return new Promise((resolve, reject) => {
      (args as unknown[]).push((err: ResponsesError | null, responses: unknown) => {
        if (err) {
          err.responses = responses;
          reject(err);
        } else {
          resolve(responses as FirstNonErrorArg<Last<EventParams<EmitEvents, Ev>>>);
        }
      });
      this.emit(ev, ...(args as unknown as EventParams<EmitEvents, Ev>));
    });
  }

  /** The ids of the targeted sockets. @deprecated use `fetchSockets()` */
  allSockets(): Promise<Set<SocketId>> {
    if (!this.adapter) {
      throw new Error("No adapter for this namespace: dynamic (parent) namespaces have no sockets of their own");
    }
    return Promise.resolve(this.adapter.sockets(this.rooms));
  }

  /** The targeted sockets: local Socket objects, and RemoteSocket descriptions from other nodes. */
  fetchSockets(): Promise<RemoteSocket<EmitEvents, SocketData>[]> {
    return Promise.resolve(
      this.adapter.fetchSockets({ rooms: this.rooms, except: this.exceptRooms, flags: this.flags }),
    ).then((sockets) =>
      sockets.map((socket) =>
        "server" in socket && socket.server
          ? (socket as unknown as RemoteSocket<EmitEvents, SocketData>)
          : new RemoteSocket<EmitEvents, SocketData>(this.adapter, socket as SocketDetails<SocketData>),
      ),
    );
  }

  /** Makes the targeted sockets join a room (or rooms). */
  socketsJoin(room: Room | Room[]): void {
    void this.adapter.addSockets(
      { rooms: this.rooms, except: this.exceptRooms, flags: this.flags },
      Array.isArray(room) ? room : [room],
    );
  }

  /** Makes the targeted sockets leave a room (or rooms). */
  socketsLeave(room: Room | Room[]): void {
    void this.adapter.delSockets(
      { rooms: this.rooms, except: this.exceptRooms, flags: this.flags },
      Array.isArray(room) ? room : [room],
    );
  }

  /** Disconnects the targeted sockets (with `close`, their whole connections). */
  disconnectSockets(close = false): void {
    void this.adapter.disconnectSockets({ rooms: this.rooms, except: this.exceptRooms, flags: this.flags }, close);
  }
}

/** What `fetchSockets()` knows of a socket on another node. */
export interface SocketDetails<SocketData> {
  id: SocketId;
  handshake: Handshake;
  rooms: Room[];
  data: SocketData;
}

/** A socket on this or another node, as returned by `fetchSockets()`, with the operations that work remotely. */
export class RemoteSocket<EmitEvents extends EventsMap, SocketData> implements TypedEventBroadcaster<EmitEvents> {
  readonly id: SocketId;
  readonly handshake: Handshake;
  readonly rooms: Set<Room>;
  readonly data: SocketData;
  private readonly operator: BroadcastOperator<EmitEvents, SocketData>;

  constructor(adapter: Adapter, details: SocketDetails<SocketData>) {
    this.id = details.id;
    this.handshake = details.handshake;
    this.rooms = new Set(details.rooms);
    this.data = details.data;
    // One response rather than an array, so an acknowledgement behaves like socket.emit()'s.
    this.operator = new BroadcastOperator<EmitEvents, SocketData>(adapter, new Set([this.id]), new Set(), {
      expectSingleResponse: true,
    });
  }

  timeout(timeout: number): BroadcastOperator<DecorateAcknowledgements<EmitEvents>, SocketData> {
    return this.operator.timeout(timeout);
  }

  emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): boolean {
    return this.operator.emit(ev, ...args);
  }

  join(room: Room | Room[]): void {
    this.operator.socketsJoin(room);
  }

  leave(room: Room): void {
    this.operator.socketsLeave(room);
  }

  disconnect(close = false): this {
    this.operator.disconnectSockets(close);
    return this;
  }
}

