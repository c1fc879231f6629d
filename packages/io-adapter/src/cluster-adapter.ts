import { randomBytes } from "node:crypto";
import { Adapter, type FetchedSocket } from "./in-memory-adapter";
import {
  MessageType,
  decodeOptions,
  encodeOptions,
  isEventData,
  isRecord,
  isRoomList,
  type ClusterMessage,
  type ClusterResponse,
  type Offset,
  type ServerId,
  type UnstampedMessage,
  type UnstampedResponse,
} from "./cluster-messages";
import type {
  AckCallback,
  AdapterNamespace,
  AdapterPacket,
  AdapterSocket,
  BroadcastOptions,
  RemoteSocketDetails,
  Room,
} from "./types";

/** How long a request to the other nodes waits for their answers, unless `timeout()` says otherwise. */
export const DEFAULT_REQUEST_TIMEOUT = 5000;
const EVENT = 2;

/** The callback of `serverSideEmit` with an acknowledgement. */
export type ServerSideEmitAck = (err: Error | null, responses: unknown[]) => void;

/** Which nodes a request waits for: a count, or (when nodes are tracked) their ids. */
export interface ExpectedResponders {
  count: number;
  uids?: Set<ServerId>;
}

/** A request to the other nodes (fetchSockets, serverSideEmit with ack) awaiting their answers. */
interface PendingRequest {
  readonly type: MessageType.FETCH_SOCKETS | MessageType.SERVER_SIDE_EMIT;
  readonly responses: unknown[];
  readonly expected: number;
  received: number;
  /** Nodes still to answer, when known; answers from others (or a second answer) are ignored. */
  readonly missing: Set<ServerId> | undefined;
  /** Nodes that answered, when the responders are only counted: a second answer is ignored. */
  readonly answered: Set<ServerId>;
  readonly timer: NodeJS.Timeout;
  settle(error: Error | null): void;
}

interface AckRequest {
  clientCountCallback(clientCount: number): void;
  ack: AckCallback;
}

export function randomServerId(): ServerId {
  return randomBytes(8).toString("hex");
}

/**
 * The base of every multi-node adapter. It turns each operation into a {@link ClusterMessage} for
 * the other nodes and applies the messages they send. A subclass only moves messages:
 *
 * - implement {@link ClusterAdapter.doPublish} (to every other node) and
 *   {@link ClusterAdapter.doPublishResponse} (to one node),
 * - call {@link ClusterAdapter.onMessage} and {@link ClusterAdapter.onResponse} with what arrives,
 * - implement {@link ClusterAdapter.serverCount}, or extend {@link ClusterAdapterWithHeartbeat}.
 *
 * Messages follow socket.io-adapter 2.5 field by field, so nodes running the official adapters over
 * the same transport and serialization understand them.
 */
export abstract class ClusterAdapter extends Adapter {
  protected readonly uid: ServerId = randomServerId();
  /** How long requests wait for the other nodes when the caller set no `timeout()`. */
  protected requestTimeout = DEFAULT_REQUEST_TIMEOUT;
  private readonly requests = new Map<string, PendingRequest>();
  private readonly ackRequests = new Map<string, AckRequest>();

  protected constructor(nsp: AdapterNamespace) {
    super(nsp);
  }

  /** Sends `message` to every other node; resolves with its offset in the transport's log, if any. */
  protected abstract doPublish(message: ClusterMessage): Promise<Offset>;

  /** Sends `response` to the node `requesterUid` only. */
  protected abstract doPublishResponse(requesterUid: ServerId, response: ClusterResponse): Promise<void>;

  /**
   * Handles a message from another node. Messages from this node, for another namespace, or
   * malformed ones are ignored; a failure while applying one never escapes to the transport.
   */
  protected onMessage(message: ClusterMessage, offset?: string): void {
    if (!isRecord(message)) return this.log("ignoring a cluster message that is not an object");
    if (message.uid === this.uid) return;
    if (message.nsp !== this.nsp.name) return;
    try {
      this.applyMessage(message, offset);
    } catch (err) {
      this.log("[%s] failed to apply message of type %s: %s", this.uid, message.type, errorMessage(err));
    }
  }

  private applyMessage(message: ClusterMessage, offset: string | undefined): void {
    const data: unknown = (message as { data?: unknown }).data;
    switch (message.type) {
      case MessageType.BROADCAST:
        return this.applyBroadcast(message.uid, data, offset);
      case MessageType.SOCKETS_JOIN:
      case MessageType.SOCKETS_LEAVE: {
        const opts = isRecord(data) ? decodeOptions(data.opts) : undefined;
        const rooms = isRecord(data) ? data.rooms : undefined;
        if (opts === undefined || !isRoomList(rooms)) return this.logMalformed(message.type);
        if (message.type === MessageType.SOCKETS_JOIN) super.addSockets(opts, rooms);
        else super.delSockets(opts, rooms);
        return;
      }
      case MessageType.DISCONNECT_SOCKETS: {
        const opts = isRecord(data) ? decodeOptions(data.opts) : undefined;
        if (opts === undefined) return this.logMalformed(message.type);
        super.disconnectSockets(opts, (data as { close?: unknown }).close === true);
        return;
      }
      case MessageType.FETCH_SOCKETS: {
        const opts = isRecord(data) ? decodeOptions(data.opts) : undefined;
        const requestId = isRecord(data) ? data.requestId : undefined;
        if (opts === undefined || typeof requestId !== "string") return this.logMalformed(message.type);
        this.publishResponse(message.uid, {
          type: MessageType.FETCH_SOCKETS_RESPONSE,
          data: { requestId, sockets: this.matchingSockets(opts).map(describeSocket) },
        });
        return;
      }
      case MessageType.SERVER_SIDE_EMIT:
        return this.applyServerSideEmit(message.uid, data);
      case MessageType.FETCH_SOCKETS_RESPONSE as number:
      case MessageType.SERVER_SIDE_EMIT_RESPONSE as number:
      case MessageType.BROADCAST_CLIENT_COUNT as number:
      case MessageType.BROADCAST_ACK as number:
        // Transports that use one channel for messages and responses may hand responses here.
        return this.onResponse(message as unknown as ClusterResponse);
      default:
        this.log("[%s] ignoring a message of unknown type %s", this.uid, (message as { type: unknown }).type);
    }
  }

  private applyBroadcast(requesterUid: ServerId, data: unknown, offset: string | undefined): void {
    const opts = isRecord(data) ? decodeOptions(data.opts) : undefined;
    const packet = isRecord(data) ? data.packet : undefined;
    if (opts === undefined || !isPacket(packet)) return this.logMalformed(MessageType.BROADCAST);
    const requestId = (data as { requestId?: unknown }).requestId;
    if (requestId === undefined) {
      this.addOffsetIfNecessary(packet, opts, offset);
      super.broadcast(packet, opts);
      return;
    }
    if (typeof requestId !== "string") return this.logMalformed(MessageType.BROADCAST);
    super.broadcastWithAck(
      packet,
      opts,
      (clientCount) => {
        this.publishResponse(requesterUid, {
          type: MessageType.BROADCAST_CLIENT_COUNT,
          data: { requestId, clientCount },
        });
      },
      (arg) => {
        this.publishResponse(requesterUid, {
          type: MessageType.BROADCAST_ACK,
          data: { requestId, packet: arg },
        });
      },
    );
  }

  private applyServerSideEmit(requesterUid: ServerId, data: unknown): void {
    const packet = isRecord(data) ? data.packet : undefined;
    if (!isEventData(packet)) return this.logMalformed(MessageType.SERVER_SIDE_EMIT);
    const requestId = (data as { requestId?: unknown }).requestId;
    if (requestId === undefined) {
      this.nsp._onServerSideEmit(packet);
      return;
    }
    if (typeof requestId !== "string") return this.logMalformed(MessageType.SERVER_SIDE_EMIT);
    let answered = false;
    const reply = (arg: unknown): void => {
      // One answer per node: later calls of the callback are ignored.
      if (answered) return;
      answered = true;
      this.publishResponse(requesterUid, {
        type: MessageType.SERVER_SIDE_EMIT_RESPONSE,
        data: { requestId, packet: arg },
      });
    };
    this.nsp._onServerSideEmit([...packet, reply]);
  }

  /** Handles the answer of another node to one of this node's requests. */
  protected onResponse(response: ClusterResponse): void {
    if (!isRecord(response) || !isRecord(response.data)) return this.log("ignoring a malformed response");
    const requestId = response.data.requestId;
    if (typeof requestId !== "string") return this.log("ignoring a response without a request id");
    switch (response.type) {
      case MessageType.BROADCAST_CLIENT_COUNT: {
        const count = response.data.clientCount;
        if (typeof count === "number" && Number.isInteger(count) && count >= 0) {
          this.ackRequests.get(requestId)?.clientCountCallback(count);
        }
        return;
      }
      case MessageType.BROADCAST_ACK:
        this.ackRequests.get(requestId)?.ack(response.data.packet);
        return;
      case MessageType.FETCH_SOCKETS_RESPONSE: {
        const sockets = response.data.sockets;
        if (!Array.isArray(sockets)) return this.logMalformed(response.type);
        const request = this.requests.get(requestId);
        if (request === undefined || request.type !== MessageType.FETCH_SOCKETS) return;
        if (!this.countAnswer(request, response.uid)) return;
        // Remote sockets reach user code as RemoteSocket objects: drop entries that cannot be one.
        for (const socket of sockets) if (isSocketDetails(socket)) request.responses.push(socket);
        this.settleIfComplete(requestId, request);
        return;
      }
      case MessageType.SERVER_SIDE_EMIT_RESPONSE: {
        const request = this.requests.get(requestId);
        if (request === undefined || request.type !== MessageType.SERVER_SIDE_EMIT) return;
        if (!this.countAnswer(request, response.uid)) return;
        request.responses.push(response.data.packet);
        this.settleIfComplete(requestId, request);
        return;
      }
      default:
        this.log("[%s] ignoring a response of unknown type %s", this.uid, (response as { type: unknown }).type);
    }
  }

  /** Records one node's answer; false when it is not one the request waits for. */
  private countAnswer(request: PendingRequest, uid: ServerId): boolean {
    if (request.missing !== undefined ? !request.missing.delete(uid) : request.answered.has(uid)) return false;
    if (request.missing === undefined) request.answered.add(uid);
    request.received++;
    return true;
  }

  private settleIfComplete(requestId: string, request: PendingRequest): void {
    const complete =
      request.missing !== undefined ? request.missing.size === 0 : request.received >= request.expected;
    if (!complete) return;
    clearTimeout(request.timer);
    this.requests.delete(requestId);
    request.settle(null);
  }

  /**
   * Forgets a node that left: requests stop waiting for it (and settle if it was the last one).
   * Used by {@link ClusterAdapterWithHeartbeat}; other subclasses may call it when their transport
   * knows a node is gone.
   */
  protected forgetNode(uid: ServerId): void {
    for (const [requestId, request] of this.requests) {
      if (request.missing?.delete(uid)) this.settleIfComplete(requestId, request);
    }
  }

  /** The other nodes a request should wait for. */
  protected async expectedResponders(): Promise<ExpectedResponders> {
    return { count: (await this.serverCount()) - 1 };
  }

  /** The message of the error a request rejects with when some nodes did not answer in time. */
  protected timeoutMessage(received: number, expected: number, missing: Set<ServerId> | undefined): string {
    return missing !== undefined
      ? `timeout reached: missing ${missing.size} responses`
      : `timeout reached: only ${received} responses received out of ${expected}`;
  }

  private startRequest(
    type: PendingRequest["type"],
    responders: ExpectedResponders,
    responses: unknown[],
    timeout: number,
    settle: (error: Error | null, responses: unknown[]) => void,
  ): string {
    const requestId = randomServerId();
    const missing = responders.uids !== undefined ? new Set(responders.uids) : undefined;
    const timer = setTimeout(() => {
      const request = this.requests.get(requestId);
      if (request === undefined) return;
      this.requests.delete(requestId);
      request.settle(new Error(this.timeoutMessage(request.received, request.expected, request.missing)));
    }, timeout);
    this.requests.set(requestId, {
      type,
      responses,
      expected: responders.count,
      received: 0,
      missing,
      answered: new Set(),
      timer,
      settle: (error) => settle(error, responses),
    });
    return requestId;
  }

  override async broadcast(packet: AdapterPacket, opts: BroadcastOptions): Promise<void> {
    if (opts.flags?.local !== true) {
      try {
        const offset = await this.publishAndReturnOffset({
          type: MessageType.BROADCAST,
          data: { packet, opts: encodeOptions(opts) },
        });
        this.addOffsetIfNecessary(packet, opts, offset);
      } catch (err) {
        this.log("[%s] could not publish a broadcast: %s", this.uid, errorMessage(err));
      }
    }
    try {
      super.broadcast(packet, opts);
    } catch (err) {
      // Callers do not await broadcasts: a rejection here would be unhandled and end the process.
      this.log("[%s] could not deliver a broadcast locally: %s", this.uid, errorMessage(err));
    }
  }

  /**
   * Appends the transport's offset to a recoverable event, so a client that reconnects to any node
   * can say which packets it already has. Only when connection state recovery is on.
   */
  protected addOffsetIfNecessary(packet: AdapterPacket, opts: BroadcastOptions, offset: Offset | undefined): void {
    if (!this.nsp.server.opts.connectionStateRecovery) return;
    if (typeof offset !== "string") return;
    const recoverable = packet.type === EVENT && packet.id === undefined && opts.flags?.volatile === undefined;
    if (recoverable && Array.isArray(packet.data)) packet.data.push(offset);
  }

  override broadcastWithAck(
    packet: AdapterPacket,
    opts: BroadcastOptions,
    clientCountCallback: (clientCount: number) => void,
    ack: AckCallback,
  ): void {
    if (opts.flags?.local !== true) {
      const requestId = randomServerId();
      this.ackRequests.set(requestId, { clientCountCallback, ack });
      this.publish({ type: MessageType.BROADCAST, data: { packet, requestId, opts: encodeOptions(opts) } });
      // Whether every client answered is known only to the caller: forget the request after its timeout.
      const cleanup = setTimeout(() => this.ackRequests.delete(requestId), opts.flags?.timeout ?? this.requestTimeout);
      cleanup.unref();
    }
    super.broadcastWithAck(packet, opts, clientCountCallback, ack);
  }

  override async addSockets(opts: BroadcastOptions, rooms: Room[]): Promise<void> {
    await this.publishUnlessLocal(opts, { type: MessageType.SOCKETS_JOIN, data: { opts: encodeOptions(opts), rooms } });
    super.addSockets(opts, rooms);
  }

  override async delSockets(opts: BroadcastOptions, rooms: Room[]): Promise<void> {
    await this.publishUnlessLocal(opts, { type: MessageType.SOCKETS_LEAVE, data: { opts: encodeOptions(opts), rooms } });
    super.delSockets(opts, rooms);
  }

  override async disconnectSockets(opts: BroadcastOptions, close: boolean): Promise<void> {
    await this.publishUnlessLocal(opts, {
      type: MessageType.DISCONNECT_SOCKETS,
      data: { opts: encodeOptions(opts), close },
    });
    super.disconnectSockets(opts, close);
  }

  private async publishUnlessLocal(opts: BroadcastOptions, message: UnstampedMessage): Promise<void> {
    if (opts.flags?.local === true) return;
    try {
      await this.publishAndReturnOffset(message);
    } catch (err) {
      this.log("[%s] could not publish message of type %s: %s", this.uid, message.type, errorMessage(err));
    }
  }

  /** The matching sockets of the whole cluster: local socket objects plus the others' descriptions. */
  override async fetchSockets(opts: BroadcastOptions): Promise<FetchedSocket[]> {
    const localSockets: FetchedSocket[] = this.matchingSockets(opts);
    if (opts.flags?.local === true) return localSockets;
    const responders = await this.expectedResponders();
    if (responders.count <= 0) return localSockets;
    return new Promise((resolve, reject) => {
      const requestId = this.startRequest(
        MessageType.FETCH_SOCKETS,
        responders,
        localSockets,
        opts.flags?.timeout ?? this.requestTimeout,
        (error, responses) => (error ? reject(error) : resolve(responses as FetchedSocket[])),
      );
      this.publish({ type: MessageType.FETCH_SOCKETS, data: { opts: encodeOptions(opts), requestId } });
    });
  }

  /** Emits `[event, ...args]` on the other nodes; a trailing function receives their answers. */
  override async serverSideEmit(packet: unknown[]): Promise<void> {
    const last = packet[packet.length - 1];
    if (typeof last !== "function") {
      this.publish({ type: MessageType.SERVER_SIDE_EMIT, data: { packet } });
      return;
    }
    const ack = last as ServerSideEmitAck;
    const args = packet.slice(0, -1);
    const responders = await this.expectedResponders();
    if (responders.count <= 0) {
      ack(null, []);
      return;
    }
    const requestId = this.startRequest(MessageType.SERVER_SIDE_EMIT, responders, [], this.requestTimeout, ack);
    this.publish({ type: MessageType.SERVER_SIDE_EMIT, data: { requestId, packet: args } });
  }

  /** Publishes without waiting; a failure is logged, never thrown. */
  protected publish(message: UnstampedMessage): void {
    this.publishAndReturnOffset(message).catch((err: unknown) => {
      this.log("[%s] could not publish message of type %s: %s", this.uid, message.type, errorMessage(err));
    });
  }

  protected publishAndReturnOffset(message: UnstampedMessage): Promise<Offset> {
    const stamped = { ...message, uid: this.uid, nsp: this.nsp.name } as ClusterMessage;
    try {
      return this.doPublish(stamped);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  protected publishResponse(requesterUid: ServerId, response: UnstampedResponse): void {
    const stamped = { ...response, uid: this.uid, nsp: this.nsp.name } as ClusterResponse;
    let sent: Promise<void>;
    try {
      sent = this.doPublishResponse(requesterUid, stamped);
    } catch (err) {
      sent = Promise.reject(err);
    }
    sent.catch((err: unknown) => {
      this.log("[%s] could not send a response to %s: %s", this.uid, requesterUid, errorMessage(err));
    });
  }

  /** Stops waiting: pending requests fail at once rather than at their timeout. */
  override close(): Promise<void> | void {
    const pending = [...this.requests.values()];
    this.requests.clear();
    this.ackRequests.clear();
    for (const request of pending) {
      clearTimeout(request.timer);
      request.settle(new Error("the adapter was closed before every node answered"));
    }
  }

  private logMalformed(type: MessageType): void {
    this.log("[%s] ignoring a malformed message of type %s", this.uid, type);
  }
}

function isSocketDetails(value: unknown): value is RemoteSocketDetails {
  return isRecord(value) && typeof value.id === "string" && isRoomList(value.rooms) && isRecord(value.handshake);
}

function isPacket(value: unknown): value is AdapterPacket {
  return isRecord(value) && typeof value.type === "number";
}

/** A local socket as another node sees it in a fetchSockets answer. */
function describeSocket(socket: AdapterSocket): RemoteSocketDetails {
  // The session store may hold circular references and is meaningless on another node.
  const { sessionStore: _sessionStore, ...handshake } = socket.handshake as Record<string, unknown>;
  return { id: socket.id, handshake, rooms: [...socket.rooms], data: socket.data };
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
