import type {
  AckCallback,
  Adapter,
  AdapterClient,
  AdapterNamespace,
  AdapterPacket,
  AdapterServer,
  AdapterSocket,
  ConnectionStateRecoveryOptions,
  EncodedPacket,
  PacketEncoder,
  Room,
  WriteOptions,
} from "@sockwave/io-adapter";

/**
 * Small, real implementations of the structural contract (no server, no network): enough for the
 * adapter to do everything it does inside socket.io, and observable by the tests.
 */

/** Encodes like socket.io-parser for text packets, and counts its calls. */
export class CountingEncoder implements PacketEncoder {
  calls = 0;
  encode(packet: AdapterPacket): EncodedPacket[] {
    this.calls++;
    const nsp = packet.nsp && packet.nsp !== "/" ? `${packet.nsp},` : "";
    const id = packet.id ?? "";
    return [`${packet.type}${nsp}${id}${packet.data === undefined ? "" : JSON.stringify(packet.data)}`];
  }
}

export class TestServer implements AdapterServer {
  readonly encoder = new CountingEncoder();
  readonly opts: { connectionStateRecovery?: ConnectionStateRecoveryOptions | false };
  constructor(connectionStateRecovery?: ConnectionStateRecoveryOptions) {
    this.opts = { connectionStateRecovery: connectionStateRecovery ?? false };
  }
}

export interface Write {
  packets: EncodedPacket[];
  opts: WriteOptions;
}

export class TestClient implements AdapterClient {
  readonly writes: Write[] = [];
  writeToEngine(encodedPackets: EncodedPacket[], opts: WriteOptions): void {
    this.writes.push({ packets: encodedPackets, opts });
  }
  /** The text of every packet written, in order. */
  get texts(): string[] {
    return this.writes.map((write) => String(write.packets[0]));
  }
}

export class TestSocket implements AdapterSocket {
  readonly client = new TestClient();
  readonly acks = new Map<number, AckCallback>();
  readonly handshake: Record<string, unknown>;
  readonly outgoing: AdapterPacket[] = [];
  data: unknown = {};
  disconnectedWith: boolean | undefined;

  constructor(
    readonly id: string,
    private readonly namespace: TestNamespace,
  ) {
    this.handshake = { auth: {}, query: { id }, sessionStore: { circular: null as unknown } };
    (this.handshake.sessionStore as { circular: unknown }).circular = this.handshake;
  }

  get rooms(): Set<Room> {
    return this.namespace.adapter.socketRooms(this.id) ?? new Set();
  }

  join(rooms: Room | Room[]): void {
    void this.namespace.adapter.addAll(this.id, new Set(Array.isArray(rooms) ? rooms : [rooms]));
  }

  leave(room: Room): void {
    void this.namespace.adapter.del(this.id, room);
  }

  disconnect(close?: boolean): void {
    this.disconnectedWith = close === true;
    this.namespace.adapter.delAll(this.id);
    this.namespace.sockets.delete(this.id);
  }

  notifyOutgoingListeners(packet: AdapterPacket): void {
    this.outgoing.push(packet);
  }

  /** Answers the broadcast with ack id `id`, as a client's ACK packet would. */
  answer(id: number, ...args: unknown[]): void {
    const ack = this.acks.get(id);
    this.acks.delete(id);
    ack?.(...args);
  }
}

export class TestNamespace implements AdapterNamespace<TestSocket> {
  readonly sockets = new Map<string, TestSocket>();
  _ids = 0;
  readonly adapter: Adapter;
  /** What `_onServerSideEmit` received. */
  readonly serverSideEvents: unknown[][] = [];
  /** When set, server-side events with an ack are answered with this function's result. */
  serverSideAnswer: ((args: unknown[]) => unknown) | undefined;
  private sequence = 0;

  constructor(
    readonly server: TestServer,
    AdapterClass: new (nsp: AdapterNamespace) => Adapter,
    readonly name = "/",
  ) {
    this.adapter = new AdapterClass(this);
  }

  /** Connects a socket: it joins its own room, then any `rooms`, as socket.io does. */
  connect(rooms: Room[] = [], id = `socket-${++this.sequence}-${Math.random().toString(36).slice(2, 8)}`): TestSocket {
    const socket = new TestSocket(id, this);
    this.sockets.set(id, socket);
    socket.join([id, ...rooms]);
    return socket;
  }

  _onServerSideEmit(args: unknown[]): void {
    const last = args[args.length - 1];
    if (typeof last === "function") {
      const eventArgs = args.slice(0, -1);
      this.serverSideEvents.push(eventArgs);
      if (this.serverSideAnswer) (last as (arg: unknown) => void)(this.serverSideAnswer(eventArgs));
      return;
    }
    this.serverSideEvents.push(args);
  }
}

/** Resolves once `condition()` holds, checking after each turn of the event loop. */
export async function eventually(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 2000; attempt++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** Lets every pending delivery of the in-process bus happen. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}
