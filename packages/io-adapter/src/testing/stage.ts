import { ConformanceError, assertEqual, within } from "./assert";
import type {
  ClusterOptions,
  ConformanceCluster,
  ConformanceHarness,
  ConformanceNode,
  KitClient,
  KitListener,
  KitServerSocket,
} from "./harness";

/** A client of a scenario, with everything it received under the events the scenario records. */
export class RecordedClient {
  readonly received: Array<{ event: string; args: unknown[] }> = [];
  private readonly waiters: Array<() => void> = [];

  constructor(
    readonly client: KitClient,
    readonly name: string,
    readonly nodeIndex: number,
    readonly rooms: string[],
  ) {}

  /** Starts recording `event`; when `answer` is given, acknowledges each one with its result. */
  record(event: string, answer?: (args: unknown[]) => unknown): void {
    const listener = (...args: unknown[]): void => {
      const ack = answer !== undefined && typeof args[args.length - 1] === "function" ? args.pop() : undefined;
      this.received.push({ event, args });
      if (ack !== undefined) (ack as (value: unknown) => void)(answer!(args));
      for (const wake of this.waiters.splice(0)) wake();
    };
    this.client.on(event, listener as KitListener);
  }

  /** The arguments of every `event` received so far. */
  argsOf(event: string): unknown[][] {
    return this.received.filter((entry) => entry.event === event).map((entry) => entry.args);
  }

  /** The names of the recorded events received so far, in order. */
  get events(): string[] {
    return this.received.map((entry) => entry.event);
  }

  /** Resolves once `count` `event`s have arrived. */
  async waitFor(event: string, count = 1): Promise<void> {
    const arrived = (): boolean => this.argsOf(event).length >= count;
    await within(
      (async () => {
        while (!arrived()) await new Promise<void>((resolve) => this.waiters.push(resolve));
      })(),
      `client ${this.name} (node ${this.nodeIndex}) to receive "${event}" ${count} time(s)`,
    );
  }
}

interface ClientSpec {
  name: string;
  node: number;
  rooms?: string[];
}

/**
 * The fixture of one scenario: a fresh cluster whose servers make each connecting socket join the
 * rooms listed in its `auth.rooms` and keep `{ name, node }` as its `data`.
 */
export class Stage {
  readonly serverSockets = new Map<string, KitServerSocket>();
  private readonly clients: RecordedClient[] = [];

  private constructor(
    readonly cluster: ConformanceCluster,
    readonly nodeCount: number,
  ) {
    cluster.nodes.forEach((node, index) => {
      node.namespace.on("connection", ((socket: KitServerSocket) => {
        const rooms = socket.handshake.auth.rooms;
        if (Array.isArray(rooms) && rooms.length > 0) socket.join(rooms.map(String));
        socket.data = { name: socket.handshake.auth.name, node: index };
        this.serverSockets.set(String(socket.handshake.auth.name), socket);
      }) as KitListener);
    });
  }

  static async open(harness: ConformanceHarness, nodeCount: number, options: ClusterOptions): Promise<Stage> {
    const cluster = await within(harness.createNodes(nodeCount, options), `createNodes(${nodeCount})`, 10_000);
    if (cluster.nodes.length !== nodeCount) {
      await cluster.close();
      throw new ConformanceError(`createNodes(${nodeCount}) returned ${cluster.nodes.length} nodes`);
    }
    return new Stage(cluster, nodeCount);
  }

  node(index: number): ConformanceNode {
    const node = this.cluster.nodes[index % this.nodeCount];
    if (node === undefined) throw new ConformanceError(`no node ${index}`);
    return node;
  }

  /** The last node: broadcasts start there so that, with several nodes, they cross the transport. */
  get lastNode(): ConformanceNode {
    return this.node(this.nodeCount - 1);
  }

  async connect(spec: ClientSpec): Promise<RecordedClient> {
    const rooms = spec.rooms ?? [];
    const client = await within(
      this.node(spec.node).connect({ auth: { name: spec.name, rooms } }),
      `client ${spec.name} to connect to node ${spec.node % this.nodeCount}`,
    );
    const recorded = new RecordedClient(client, spec.name, spec.node % this.nodeCount, rooms);
    this.clients.push(recorded);
    return recorded;
  }

  /** Connects one client per spec, in parallel. */
  connectAll(specs: ClientSpec[]): Promise<RecordedClient[]> {
    return Promise.all(specs.map((spec) => this.connect(spec)));
  }

  /**
   * Emits `barrier` to everyone from `from` and waits for every client to get it. A client receives
   * the packets of one node in order, so whatever that node broadcast before has arrived by then.
   */
  async barrier(from: ConformanceNode, clients: RecordedClient[]): Promise<void> {
    const counts = clients.map((client) => client.argsOf("barrier").length);
    from.namespace.emit("barrier");
    await Promise.all(clients.map((client, i) => client.waitFor("barrier", counts[i]! + 1)));
  }

  /** Checks which clients got `event` (exactly once each) and which did not get it at all. */
  expectDelivery(event: string, clients: RecordedClient[], shouldReceive: (client: RecordedClient) => boolean): void {
    for (const client of clients) {
      const times = client.argsOf(event).length;
      const expected = shouldReceive(client) ? 1 : 0;
      assertEqual(times, expected, `times client ${client.name} (node ${client.nodeIndex}, rooms [${client.rooms}]) received "${event}"`);
    }
  }

  async close(): Promise<void> {
    for (const client of this.clients) client.client.disconnect();
    await within(this.cluster.close(), "the cluster to close", 10_000);
  }
}
