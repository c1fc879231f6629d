import { afterEach, describe, expect, it } from "vitest";
import {
  ClusterAdapter,
  ClusterAdapterWithHeartbeat,
  MessageType,
  type AdapterPacket,
  type BroadcastOptions,
  type RemoteSocketDetails,
} from "@sockwave/io-adapter";
import { InProcessBus, type AdapterConstructor } from "@sockwave/io-adapter/testing";
import { TestNamespace, TestServer, TestSocket, eventually } from "./support/namespace";

const open: TestNamespace[] = [];

function cluster(AdapterClass: AdapterConstructor, count: number, recovery = false): TestNamespace[] {
  const nodes: TestNamespace[] = [];
  for (let i = 0; i < count; i++) {
    const nsp = new TestNamespace(new TestServer(recovery ? { maxDisconnectionDuration: 1000 } : undefined), AdapterClass);
    void nsp.adapter.init();
    nodes.push(nsp);
    open.push(nsp);
  }
  return nodes;
}

afterEach(async () => {
  for (const nsp of open.splice(0)) await nsp.adapter.close();
});

function event(...data: unknown[]): AdapterPacket & { data: unknown[] } {
  return { type: 2, data };
}

function to(rooms: string[], except: string[] = [], flags = {}): BroadcastOptions {
  return { rooms: new Set(rooms), except: new Set(except), flags };
}

function received(socket: TestSocket): string[] {
  return socket.client.texts;
}

async function waitForNodes(nodes: TestNamespace[]): Promise<void> {
  await eventually(
    async () => (await Promise.all(nodes.map((n) => n.adapter.serverCount()))).every((c) => c === nodes.length),
    `${nodes.length} nodes to see each other`,
  );
}

const variants: Array<[string, (bus: InProcessBus) => AdapterConstructor]> = [
  ["ClusterAdapter", (bus) => bus.clusterAdapter({ requestTimeout: 300 })],
  ["ClusterAdapterWithHeartbeat", (bus) => bus.heartbeatAdapter({ requestTimeout: 300 })],
];

describe.each(variants)("%s over an in-process bus", (_name, adapterOn) => {
  let bus = new InProcessBus();
  const makeAdapter = (): AdapterConstructor => {
    bus = new InProcessBus();
    return adapterOn(bus);
  };

  it("is the right class and counts the nodes", async () => {
    const nodes = cluster(makeAdapter(), 3);
    expect(nodes[0]!.adapter).toBeInstanceOf(ClusterAdapter);
    await waitForNodes(nodes);
  });

  it("broadcasts to rooms on every node, honouring except and local", async () => {
    const nodes = cluster(makeAdapter(), 3);
    await waitForNodes(nodes);
    const [a, b, c] = nodes.map((nsp) => [nsp.connect(["room"]), nsp.connect(["room", "muted"]), nsp.connect()]);

    await nodes[0]!.adapter.broadcast(event("room", 1), to(["room"], ["muted"]));
    await nodes[1]!.adapter.broadcast(event("local"), to([], [], { local: true }));
    await nodes[2]!.adapter.broadcast(event("done"), to([]));
    await eventually(() => [...a!, ...b!, ...c!].every((s) => received(s).includes('2["done"]')), "the last broadcast");

    for (const group of [a!, b!, c!]) {
      expect(received(group[0]!).filter((t) => t === '2["room",1]')).toHaveLength(1);
      expect(received(group[1]!)).not.toContain('2["room",1]');
      expect(received(group[2]!)).not.toContain('2["room",1]');
    }
    expect(received(b![2]!)).toContain('2["local"]');
    expect(received(a![2]!)).not.toContain('2["local"]');
    expect(received(c![2]!)).not.toContain('2["local"]');
  });

  it("makes sockets on every node join, leave and disconnect", async () => {
    const nodes = cluster(makeAdapter(), 3);
    await waitForNodes(nodes);
    const sockets = nodes.map((nsp) => nsp.connect(["team"]));
    const bystanders = nodes.map((nsp) => nsp.connect());

    await nodes[0]!.adapter.addSockets(to(["team"]), ["vip"]);
    await eventually(() => sockets.every((s) => s.rooms.has("vip")), "every team member to join vip");
    expect(bystanders.some((s) => s.rooms.has("vip"))).toBe(false);

    await nodes[1]!.adapter.delSockets(to(["vip"]), ["team"]);
    await eventually(() => sockets.every((s) => !s.rooms.has("team")), "every vip to leave team");

    await nodes[2]!.adapter.disconnectSockets(to(["vip"]), false);
    await eventually(() => sockets.every((s) => s.disconnectedWith === false), "every vip to be disconnected");
    expect(bystanders.every((s) => s.disconnectedWith === undefined)).toBe(true);
  });

  it("fetches sockets from every node: local objects and remote descriptions", async () => {
    const nodes = cluster(makeAdapter(), 3);
    await waitForNodes(nodes);
    const members = nodes.map((nsp, i) => {
      const socket = nsp.connect(["r"]);
      socket.data = { node: i };
      return socket;
    });
    nodes[1]!.connect();

    const found = await nodes[0]!.adapter.fetchSockets(to(["r"]));
    expect(found).toHaveLength(3);
    expect(found).toContain(members[0]);
    const remote = found.filter((s) => s !== members[0]) as RemoteSocketDetails[];
    expect(remote.map((s) => s.id).sort()).toEqual([members[1]!.id, members[2]!.id].sort());
    for (const socket of remote) {
      expect(socket.rooms).toEqual([socket.id, "r"]);
      expect(socket.handshake).toEqual({ auth: {}, query: { id: socket.id } });
      expect((socket.data as { node: number }).node).toBeGreaterThan(0);
    }
    expect(await nodes[0]!.adapter.fetchSockets(to(["r"], [], { local: true }))).toEqual([members[0]]);
  });

  it("emits server-side events to the other nodes, with and without acks", async () => {
    const nodes = cluster(makeAdapter(), 3);
    await waitForNodes(nodes);
    nodes.forEach((nsp, i) => (nsp.serverSideAnswer = (args) => `node ${i} got ${String(args[0])}`));

    await nodes[0]!.adapter.serverSideEmit(["hello", { x: 1 }]);
    const responses = await new Promise<unknown[]>((resolve, reject) => {
      void nodes[0]!.adapter.serverSideEmit(["ping", (err: Error | null, res: unknown[]) => (err ? reject(err) : resolve(res))]);
    });
    expect(responses.sort()).toEqual(["node 1 got ping", "node 2 got ping"]);
    expect(nodes[0]!.serverSideEvents).toEqual([]);
    for (const nsp of nodes.slice(1)) expect(nsp.serverSideEvents).toEqual([["hello", { x: 1 }], ["ping"]]);
  });

  it("reports a timeout with the answers it got when a node does not acknowledge", async () => {
    const nodes = cluster(makeAdapter(), 3);
    await waitForNodes(nodes);
    nodes[1]!.serverSideAnswer = () => "ok";
    const outcome = await new Promise<[Error | null, unknown[]]>((resolve) => {
      void nodes[0]!.adapter.serverSideEmit(["ping", (err: Error | null, res: unknown[]) => resolve([err, res])]);
    });
    expect(outcome[0]?.message).toMatch(/^timeout reached: /);
    expect(outcome[1]).toEqual(["ok"]);
  });

  it("collects client counts and acks of a broadcast from every node", async () => {
    const nodes = cluster(makeAdapter(), 3);
    await waitForNodes(nodes);
    const sockets = nodes.flatMap((nsp) => [nsp.connect(["q"]), nsp.connect(["q"])]);
    const counts: number[] = [];
    const answers: unknown[] = [];
    nodes[0]!.adapter.broadcastWithAck(
      event("question"),
      to(["q"], [], { timeout: 1000 }),
      (n) => counts.push(n),
      (arg) => answers.push(arg),
    );
    await eventually(() => counts.length === 3, "a client count from each node");
    expect(counts).toEqual([2, 2, 2]);
    await eventually(() => sockets.every((s) => s.acks.size === 1), "every socket to get the question");
    for (const socket of sockets) {
      const [id] = socket.acks.keys();
      socket.answer(id!, `answer of ${socket.id}`);
    }
    await eventually(() => answers.length === 6, "six answers");
    expect(answers.sort()).toEqual(sockets.map((s) => `answer of ${s.id}`).sort());
  });

  it("ignores malformed messages and keeps working", async () => {
    const nodes = cluster(makeAdapter(), 2);
    await waitForNodes(nodes);
    const socket = nodes[1]!.connect(["r"]);
        const garbage: unknown[] = [
      null,
      42,
      "text",
      { uid: "x", nsp: "/", type: MessageType.BROADCAST },
      { uid: "x", nsp: "/", type: MessageType.BROADCAST, data: { opts: { rooms: "r" }, packet: { type: 2, data: [] } } },
      { uid: "x", nsp: "/", type: MessageType.BROADCAST, data: { opts: { rooms: [], except: [] }, packet: "nope" } },
      { uid: "x", nsp: "/", type: MessageType.SOCKETS_JOIN, data: { opts: { rooms: [], except: [] }, rooms: [1] } },
      { uid: "x", nsp: "/", type: MessageType.FETCH_SOCKETS, data: { opts: { rooms: [], except: [] } } },
      { uid: "x", nsp: "/", type: MessageType.SERVER_SIDE_EMIT, data: { packet: [1, 2] } },
      { uid: "x", nsp: "/", type: MessageType.FETCH_SOCKETS_RESPONSE, data: {} },
      { uid: "x", nsp: "/", type: MessageType.BROADCAST_CLIENT_COUNT, data: { requestId: "r", clientCount: "2" } },
      { uid: "x", nsp: "/", type: 99, data: {} },
      { uid: "x", nsp: "/other", type: MessageType.DISCONNECT_SOCKETS, data: { opts: { rooms: [], except: [] } } },
    ];
    for (const message of garbage) expect(() => bus.injectRaw(message)).not.toThrow();
    expect(socket.rooms).toEqual(new Set([socket.id, "r"]));
    expect(socket.disconnectedWith).toBeUndefined();
    expect(nodes[1]!.serverSideEvents).toEqual([]);

    await nodes[0]!.adapter.broadcast(event("still-working"), to(["r"]));
    await eventually(() => received(socket).includes('2["still-working"]'), "the broadcast after the garbage");
  });
});


describe("recovery offsets across nodes", () => {
  it("tags a broadcast with the transport's offset on the sender and on every receiver", async () => {
    const bus = new InProcessBus();
    const nodes = cluster(bus.clusterAdapter(), 2, true);
    const local = nodes[0]!.connect();
    const remote = nodes[1]!.connect();
    const packet = event("news");
    await nodes[0]!.adapter.broadcast(packet, to([]));
    expect(packet.data).toEqual(["news", "1"]);
    await eventually(() => received(remote).length === 1, "the remote delivery");
    expect(received(local)).toEqual(['2["news","1"]']);
    expect(received(remote)).toEqual(['2["news","1"]']);

    const volatile = event("volatile");
    await nodes[0]!.adapter.broadcast(volatile, to([], [], { volatile: true }));
    expect(volatile.data).toEqual(["volatile"]);
  });

  it("adds no offset when connection state recovery is off", async () => {
    const bus = new InProcessBus();
    const nodes = cluster(bus.clusterAdapter(), 2);
    const remote = nodes[1]!.connect();
    const packet = event("plain");
    await nodes[0]!.adapter.broadcast(packet, to([]));
    await eventually(() => received(remote).length === 1, "the remote delivery");
    expect(received(remote)).toEqual(['2["plain"]']);
    expect(packet.data).toEqual(["plain"]);
  });
});

describe("ClusterAdapterWithHeartbeat membership", () => {
  it("forgets a node that closes, and a pending request stops waiting for it", async () => {
    const bus = new InProcessBus();
    const nodes = cluster(bus.heartbeatAdapter({ requestTimeout: 10_000 }), 3);
    await waitForNodes(nodes);
    expect(nodes[0]!.adapter).toBeInstanceOf(ClusterAdapterWithHeartbeat);
    nodes[1]!.serverSideAnswer = () => "from 1";
    // node 2 never answers; its departure must complete the request without waiting for the timeout
    const outcome = new Promise<[Error | null, unknown[]]>((resolve) => {
      void nodes[0]!.adapter.serverSideEmit(["ping", (err: Error | null, res: unknown[]) => resolve([err, res])]);
    });
    await eventually(() => nodes[2]!.serverSideEvents.length === 1, "node 2 to receive the request");
    await nodes[2]!.adapter.close();
    expect(await outcome).toEqual([null, ["from 1"]]);
    await eventually(async () => (await nodes[0]!.adapter.serverCount()) === 2, "node 0 to count 2 nodes");
  });

  it("forgets a node that went silent without a farewell", async () => {
    const bus = new InProcessBus();
    const nodes = cluster(bus.heartbeatAdapter({ heartbeatInterval: 20, heartbeatTimeout: 100 }), 3);
    await waitForNodes(nodes);
    bus.detach(nodes[2]!.adapter);
    await eventually(
      async () => (await nodes[0]!.adapter.serverCount()) === 2 && (await nodes[1]!.adapter.serverCount()) === 2,
      "the silent node to be forgotten",
    );
    // the live nodes keep each other through heartbeats alone
    const known = (nodes[0]!.adapter as ClusterAdapterWithHeartbeat).knownNodes;
    expect(known).toHaveLength(1);
  });

  it("does not count emitters as servers", async () => {
    const bus = new InProcessBus();
    const nodes = cluster(bus.heartbeatAdapter(), 1);
    const socket = nodes[0]!.connect();
    bus.injectRaw({
      uid: "emitter",
      nsp: "/",
      type: MessageType.BROADCAST,
      data: { opts: { rooms: [], except: [] }, packet: { type: 2, data: ["from-emitter"] } },
    });
    expect(received(socket)).toEqual(['2["from-emitter"]']);
    expect(await nodes[0]!.adapter.serverCount()).toBe(1);
  });
});

describe("requests that cannot complete", () => {
  it("fetchSockets rejects after its timeout, saying how many nodes answered", async () => {
    const bus = new InProcessBus();
    const nodes = cluster(bus.clusterAdapter(), 2);
    nodes[1]!.connect();
    // A third member of namespace "/" that is counted but never answers.
    const silent = bus.connect("silent-node", nodes[1]!, () => undefined, () => undefined);
    await waitForNodes([...nodes, nodes[1]!]);
    const error = await nodes[0]!.adapter.fetchSockets(to([], [], { timeout: 50 })).then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    silent.leave();
    expect(error?.message).toBe("timeout reached: only 1 responses received out of 2");
  });

  it("close() fails pending requests at once", async () => {
    const bus = new InProcessBus((message) => (message.type === MessageType.FETCH_SOCKETS ? undefined : message));
    const nodes = cluster(bus.heartbeatAdapter({ requestTimeout: 60_000 }), 2);
    await waitForNodes(nodes);
    const pending = nodes[0]!.adapter.fetchSockets(to([])).then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    await new Promise((resolve) => setImmediate(resolve));
    await nodes[0]!.adapter.close();
    expect((await pending)?.message).toBe("the adapter was closed before every node answered");
  });

  it("counts one answer per node even if a node answers twice", async () => {
    const bus = new InProcessBus();
    const nodes = cluster(bus.heartbeatAdapter({ requestTimeout: 200 }), 3);
    await waitForNodes(nodes);
    // node 1 answers twice (a buggy handler); node 2 never answers
    nodes[1]!.serverSideAnswer = () => "once";
    const original = nodes[1]!._onServerSideEmit.bind(nodes[1]!);
    nodes[1]!._onServerSideEmit = (args) => {
      original(args);
      const reply = args[args.length - 1] as (value: unknown) => void;
      reply("twice");
    };
    const outcome = await new Promise<[Error | null, unknown[]]>((resolve) => {
      void nodes[0]!.adapter.serverSideEmit(["ping", (err: Error | null, res: unknown[]) => resolve([err, res])]);
    });
    expect(outcome[0]?.message).toBe("timeout reached: missing 1 responses");
    expect(outcome[1]).toEqual(["once"]);
  });
});

describe("answers from a misbehaving node", () => {
  /** A member that answers every FETCH_SOCKETS twice, with junk among the sockets of the first answer. */
  function rogueOn(bus: InProcessBus, nsp: TestNamespace) {
    const rogue = bus.connect(
      "rogue",
      nsp,
      (message) => {
        if (message.type !== MessageType.FETCH_SOCKETS) return;
        const answer = (sockets: unknown[]) =>
          void rogue.respond(message.uid, {
            uid: "rogue",
            nsp: "/",
            type: MessageType.FETCH_SOCKETS_RESPONSE,
            data: { requestId: message.data.requestId, sockets },
          });
        answer([{ id: "remote-1", handshake: {}, rooms: ["remote-1"], data: 1 }, null, { id: 5 }, "x"]);
        answer([{ id: "remote-2", handshake: {}, rooms: ["remote-2"], data: 2 }]);
      },
      () => undefined,
    );
    return rogue;
  }

  it("keeps only the entries of a fetchSockets answer that describe sockets", async () => {
    const bus = new InProcessBus();
    const nodes = cluster(bus.clusterAdapter(), 1);
    const local = nodes[0]!.connect();
    const rogue = rogueOn(bus, nodes[0]!);
    const sockets = await nodes[0]!.adapter.fetchSockets(to([]));
    rogue.leave();
    expect(sockets).toEqual([local, { id: "remote-1", handshake: {}, rooms: ["remote-1"], data: 1 }]);
  });

  it("counts one answer per node: a second answer does not stand in for a silent node", async () => {
    const bus = new InProcessBus();
    const nodes = cluster(bus.clusterAdapter(), 1);
    const rogue = rogueOn(bus, nodes[0]!);
    const silent = bus.connect("silent", nodes[0]!, () => undefined, () => undefined);
    const outcome = await nodes[0]!.adapter.fetchSockets(to([], [], { timeout: 100 })).then(
      (sockets) => sockets,
      (err: unknown) => err as Error,
    );
    rogue.leave();
    silent.leave();
    expect((outcome as Error).message).toBe("timeout reached: only 1 responses received out of 2");
  });
});

describe("failures inside a cluster broadcast", () => {
  it("a packet the encoder refuses is neither thrown nor left as an unhandled rejection", async () => {
    const bus = new InProcessBus();
    const nodes = cluster(bus.clusterAdapter(), 2);
    const local = nodes[0]!.connect();
    const remote = nodes[1]!.connect();
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    await expect(nodes[0]!.adapter.broadcast(event("bad", circular), to([]))).resolves.toBeUndefined();
    await expect(nodes[0]!.adapter.broadcast(event("bad", circular), to([], [], { local: true }))).resolves.toBeUndefined();
    await nodes[0]!.adapter.broadcast(event("good"), to([]));
    await eventually(() => received(remote).includes('2["good"]'), "the next broadcast on the other node");
    expect(received(local)).toEqual(['2["good"]']);
  });
});
