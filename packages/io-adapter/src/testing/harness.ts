/**
 * What the conformance kit needs from the caller: servers built with the adapter under test, and
 * a way to connect clients to them. The kit cannot import a server or a client (they depend on
 * this package), so it describes the few members it uses structurally; a Sockwave or socket.io 4
 * `Namespace`, server `Socket` and client `Socket` satisfy these types as they are.
 */

/** Any event listener; the kit narrows the arguments it receives itself. */
export type KitListener = (...args: never[]) => void;

/** The acknowledgement callback of a broadcast with `timeout()`. */
export type KitBroadcastAck = (err: Error | null, responses: unknown[]) => void;

/** A broadcast target: `io.of("/")`, `io.to(room)`, `io.local`, ... */
export interface KitOperator {
  emit(event: string, ...args: unknown[]): unknown;
  to(room: string | string[]): KitOperator;
  in(room: string | string[]): KitOperator;
  except(room: string | string[]): KitOperator;
  timeout(ms: number): KitOperator;
  readonly local: KitOperator;
  fetchSockets(): Promise<KitRemoteSocket[]>;
  socketsJoin(room: string | string[]): void;
  socketsLeave(room: string | string[]): void;
  disconnectSockets(close?: boolean): void;
}

/** A namespace of one server (`io.of("/")`). */
export interface KitNamespace extends KitOperator {
  on(event: string, listener: KitListener): unknown;
  /** Emits to the other servers; a trailing function receives `(err, responses)`. */
  serverSideEmit(event: string, ...args: unknown[]): unknown;
  readonly adapter: { serverCount(): Promise<number> };
}

/** A socket on the server side, as the `connection` event hands it. */
export interface KitServerSocket {
  readonly id: string;
  readonly rooms: Set<string>;
  readonly recovered: boolean;
  readonly handshake: { auth: Record<string, unknown> };
  data: unknown;
  join(rooms: string | string[]): unknown;
  on(event: string, listener: KitListener): unknown;
}

/** A socket returned by `fetchSockets()` (local or on another node). */
export interface KitRemoteSocket {
  readonly id: string;
  readonly rooms: Set<string>;
  readonly data: unknown;
  emit(event: string, ...args: unknown[]): unknown;
  join(rooms: string | string[]): unknown;
  leave(room: string): unknown;
  disconnect(close?: boolean): unknown;
}

/** A client socket (`io(url)` of a Socket.IO client). */
export interface KitClient {
  readonly id: string | undefined;
  readonly connected: boolean;
  readonly recovered: boolean;
  on(event: string, listener: KitListener): unknown;
  off(event: string, listener: KitListener): unknown;
  disconnect(): unknown;
  /** The manager; the kit closes `io.engine` to simulate a lost connection. */
  readonly io: { readonly engine: { close(): unknown } };
}

export interface ConnectOptions {
  /** The CONNECT payload (`auth` option of the client). The kit passes `{ rooms, name }`. */
  auth: Record<string, unknown>;
}

/** One server of the cluster under test. */
export interface ConformanceNode {
  /** The main namespace, `io.of("/")`. */
  readonly namespace: KitNamespace;
  /**
   * Connects a new client to this server and resolves once it is connected. After a lost
   * connection the client must reconnect on its own, quickly (e.g. `reconnectionDelay: 50`), to
   * this same server.
   */
  connect(options: ConnectOptions): Promise<KitClient>;
}

export interface ConformanceCluster {
  readonly nodes: ConformanceNode[];
  /** Disconnects the clients and closes the servers (and whatever transport joins them). */
  close(): Promise<void>;
}

export interface ClusterOptions {
  /** Whether the servers are built with `connectionStateRecovery` (kit scenarios that need it say so). */
  connectionStateRecovery: boolean;
}

/** What an adapter package implements to run the kit. */
export interface ConformanceHarness {
  /**
   * Starts `count` servers sharing the adapter under test, and resolves once every server knows
   * of the others (for example once `serverCount()` reports `count` on each).
   */
  createNodes(count: number, options: ClusterOptions): Promise<ConformanceCluster>;
  /** Optional features of the adapter; scenarios needing a missing one are left out. */
  readonly supports?: {
    /** The adapter restores sessions (persistSession / restoreSession). */
    connectionStateRecovery?: boolean;
  };
}
