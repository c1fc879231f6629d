import { ConformanceError, assert, assertEqual, eventually, sorted, within } from "./assert";
import type { ConformanceHarness, KitBroadcastAck, KitListener, KitRemoteSocket } from "./harness";
import { Stage, type RecordedClient } from "./stage";

/** What a scenario is run with. */
export interface ScenarioContext {
  readonly harness: ConformanceHarness;
  /** How many servers the scenario starts (1 for a single-node adapter, 3 is a good cluster). */
  readonly nodeCount: number;
}

/** One conformance check: an async function that throws a {@link ConformanceError} on failure. */
export interface ConformanceScenario {
  readonly name: string;
  /** The optional feature the scenario needs, if any (see `ConformanceHarness.supports`). */
  readonly requires?: "connectionStateRecovery";
  run(context: ScenarioContext): Promise<void>;
}

async function onStage(context: ScenarioContext, body: (stage: Stage) => Promise<void>, connectionStateRecovery = false): Promise<void> {
  const stage = await Stage.open(context.harness, context.nodeCount, { connectionStateRecovery });
  try {
    await body(stage);
  } finally {
    await stage.close();
  }
}

/** Two clients per node: one in `room` (and `a`), one in `muted` and `room` (and `b`) on odd nodes, ... */
async function populate(stage: Stage): Promise<RecordedClient[]> {
  const specs = [];
  for (let node = 0; node < stage.nodeCount; node++) {
    specs.push({ name: `n${node}-room`, node, rooms: ["room", "a"] });
    specs.push({ name: `n${node}-muted`, node, rooms: ["room", "muted", "b"] });
    specs.push({ name: `n${node}-both`, node, rooms: ["a", "b"] });
    specs.push({ name: `n${node}-none`, node, rooms: [] });
  }
  return stage.connectAll(specs);
}

function recordAll(clients: RecordedClient[], events: string[]): void {
  for (const client of clients) for (const event of events) client.record(event);
}

const inRoom = (room: string) => (client: RecordedClient) => client.rooms.includes(room);

const broadcastToAll: ConformanceScenario = {
  name: "a broadcast reaches every client of every node once, with its arguments",
  run: (context) =>
    onStage(context, async (stage) => {
      const clients = await populate(stage);
      recordAll(clients, ["hello", "barrier"]);
      stage.lastNode.namespace.emit("hello", "world", 42, { nested: [true, null] });
      await stage.barrier(stage.lastNode, clients);
      stage.expectDelivery("hello", clients, () => true);
      for (const client of clients) {
        assertEqual(client.argsOf("hello")[0], ["world", 42, { nested: [true, null] }], `arguments received by ${client.name}`);
        assertEqual(client.events, ["hello", "barrier"], `events received by ${client.name}, in order`);
      }
    }),
};

const broadcastBinary: ConformanceScenario = {
  name: "a broadcast with binary arguments reaches every client intact",
  run: (context) =>
    onStage(context, async (stage) => {
      const clients = await populate(stage);
      recordAll(clients, ["bytes", "barrier"]);
      stage.lastNode.namespace.to("a").emit("bytes", new Uint8Array([1, 2, 3, 255]), "tail");
      await stage.barrier(stage.lastNode, clients);
      stage.expectDelivery("bytes", clients, inRoom("a"));
      for (const client of clients.filter(inRoom("a"))) {
        const [bytes, tail] = client.argsOf("bytes")[0]!;
        const view = ArrayBuffer.isView(bytes)
          ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
          : bytes instanceof ArrayBuffer
            ? new Uint8Array(bytes)
            : undefined;
        assert(view !== undefined, `client ${client.name} received ${typeof bytes} instead of binary data`);
        assertEqual([...view], [1, 2, 3, 255], `bytes received by ${client.name}`);
        assertEqual(tail, "tail", `argument after the bytes received by ${client.name}`);
      }
    }),
};

const broadcastToRoom: ConformanceScenario = {
  name: "a broadcast to a room reaches its members only",
  run: (context) =>
    onStage(context, async (stage) => {
      const clients = await populate(stage);
      recordAll(clients, ["news", "barrier"]);
      stage.lastNode.namespace.to("b").emit("news", 1);
      stage.node(0).namespace.in("room").emit("news-in", 2); // `in` is `to`: unrecorded, must not disturb
      await stage.barrier(stage.lastNode, clients);
      stage.expectDelivery("news", clients, inRoom("b"));
    }),
};

const broadcastToRooms: ConformanceScenario = {
  name: "a broadcast to several rooms reaches each member once, even one in several of them",
  run: (context) =>
    onStage(context, async (stage) => {
      const clients = await populate(stage);
      recordAll(clients, ["multi", "barrier"]);
      stage.lastNode.namespace.to(["a", "b"]).emit("multi");
      await stage.barrier(stage.lastNode, clients);
      stage.expectDelivery("multi", clients, (c) => inRoom("a")(c) || inRoom("b")(c));
    }),
};

const broadcastExcept: ConformanceScenario = {
  name: "except() leaves out the members of the excepted rooms",
  run: (context) =>
    onStage(context, async (stage) => {
      const clients = await populate(stage);
      recordAll(clients, ["to-room", "to-all", "barrier"]);
      stage.lastNode.namespace.to("room").except("muted").emit("to-room");
      stage.lastNode.namespace.except(["muted", "a"]).emit("to-all");
      await stage.barrier(stage.lastNode, clients);
      stage.expectDelivery("to-room", clients, (c) => inRoom("room")(c) && !inRoom("muted")(c));
      stage.expectDelivery("to-all", clients, (c) => !inRoom("muted")(c) && !inRoom("a")(c));
    }),
};

const broadcastToSocket: ConformanceScenario = {
  name: "a broadcast to a socket id reaches that socket, wherever it is connected",
  run: (context) =>
    onStage(context, async (stage) => {
      const clients = await populate(stage);
      recordAll(clients, ["direct", "barrier"]);
      const target = clients[clients.length - 3]!; // on the last node... unless there is only one
      const id = target.client.id;
      assert(typeof id === "string", `client ${target.name} has no id once connected`);
      stage.node(0).namespace.to(id).emit("direct", "only you");
      await stage.barrier(stage.node(0), clients);
      stage.expectDelivery("direct", clients, (c) => c === target);
    }),
};

const broadcastLocal: ConformanceScenario = {
  name: "local broadcasts stay on their node",
  run: (context) =>
    onStage(context, async (stage) => {
      const clients = await populate(stage);
      recordAll(clients, ["local", "local-room", "barrier"]);
      stage.node(0).namespace.local.emit("local");
      stage.node(0).namespace.local.to("room").emit("local-room");
      await stage.barrier(stage.node(0), clients);
      stage.expectDelivery("local", clients, (c) => c.nodeIndex === 0);
      stage.expectDelivery("local-room", clients, (c) => c.nodeIndex === 0 && inRoom("room")(c));
    }),
};

async function roomsOf(stage: Stage, from: number, room?: string): Promise<Map<string, string[]>> {
  const namespace = stage.node(from).namespace;
  const operator = room === undefined ? namespace : namespace.in(room);
  const sockets = await within(operator.fetchSockets(), `fetchSockets() on node ${from}`);
  return new Map(sockets.map((socket) => [nameOf(socket), sorted([...socket.rooms].filter((r) => r !== socket.id))]));
}

function nameOf(socket: KitRemoteSocket): string {
  const data = socket.data as { name?: unknown } | null | undefined;
  if (typeof data?.name !== "string") throw new ConformanceError(`fetched socket ${socket.id} lost its data (${JSON.stringify(data)})`);
  return data.name;
}

const joinAndLeave: ConformanceScenario = {
  name: "socketsJoin() and socketsLeave() act on the matching sockets of every node",
  run: (context) =>
    onStage(context, async (stage) => {
      const clients = await populate(stage);
      recordAll(clients, ["to-vip", "barrier"]);
      const vipNames = sorted(clients.filter(inRoom("muted")).map((c) => c.name));
      stage.node(0).namespace.in("muted").socketsJoin(["vip", "vip2"]);
      await eventually(async () => {
        const rooms = await roomsOf(stage, stage.nodeCount - 1, "vip");
        return sorted([...rooms.keys()]).join() === vipNames.join();
      }, "fetchSockets() to see every muted socket in vip");
      const all = await roomsOf(stage, stage.nodeCount - 1);
      for (const client of clients) {
        const expected = sorted(inRoom("muted")(client) ? [...client.rooms, "vip", "vip2"] : client.rooms);
        assertEqual(all.get(client.name), expected, `rooms of ${client.name} after socketsJoin`);
      }
      stage.lastNode.namespace.to("vip").emit("to-vip");
      await stage.barrier(stage.lastNode, clients);
      stage.expectDelivery("to-vip", clients, inRoom("muted"));

      stage.lastNode.namespace.in("b").socketsLeave("vip");
      await eventually(async () => (await roomsOf(stage, 0, "vip")).size === 0, "every socket to leave vip");
      const after = await roomsOf(stage, 0, "vip2");
      assertEqual(sorted([...after.keys()]), vipNames, "members of vip2 after leaving vip only");
    }),
};

const fetchSockets: ConformanceScenario = {
  name: "fetchSockets() returns every matching socket of every node with its id, rooms and data",
  run: (context) =>
    onStage(context, async (stage) => {
      const clients = await populate(stage);
      const everyone = await within(stage.node(0).namespace.fetchSockets(), "fetchSockets() of everyone");
      assertEqual(everyone.length, clients.length, "number of sockets fetched");
      for (const socket of everyone) {
        const client = clients.find((c) => c.client.id === socket.id);
        assert(client !== undefined, `fetched socket ${socket.id} matches no connected client`);
        assertEqual(socket.data, { name: client.name, node: client.nodeIndex }, `data of ${client.name}`);
        assertEqual(sorted([...socket.rooms]), sorted([socket.id, ...client.rooms]), `rooms of ${client.name}`);
      }
      const inA = await within(stage.lastNode.namespace.in("a").except("b").fetchSockets(), "fetchSockets() in a except b");
      assertEqual(
        sorted(inA.map(nameOf)),
        sorted(clients.filter((c) => inRoom("a")(c) && !inRoom("b")(c)).map((c) => c.name)),
        "sockets fetched in a except b",
      );
      const local = await within(stage.node(0).namespace.local.fetchSockets(), "local fetchSockets()");
      assertEqual(sorted(local.map(nameOf)), sorted(clients.filter((c) => c.nodeIndex === 0).map((c) => c.name)), "local sockets");
    }),
};

const remoteSocketOperations: ConformanceScenario = {
  name: "a fetched socket can be sent to, moved between rooms and disconnected from any node",
  run: (context) =>
    onStage(context, async (stage) => {
      const clients = await populate(stage);
      recordAll(clients, ["personal", "to-moved", "disconnect", "barrier"]);
      const target = clients.find((c) => c.name === `n${stage.nodeCount - 1}-none`)!;
      const fetched = await within(stage.node(0).namespace.fetchSockets(), "fetchSockets() on node 0");
      const remote = fetched.find((socket) => socket.id === target.client.id);
      assert(remote !== undefined, `fetchSockets() on node 0 did not return ${target.name}`);

      remote.emit("personal", "for you");
      await target.waitFor("personal");
      assertEqual(target.argsOf("personal"), [["for you"]], `events received by ${target.name}`);

      remote.join("moved");
      await eventually(async () => (await roomsOf(stage, 0, "moved")).has(target.name), `${target.name} to join "moved"`);
      stage.node(0).namespace.to("moved").emit("to-moved");
      remote.leave("moved");
      await eventually(async () => (await roomsOf(stage, 0, "moved")).size === 0, `${target.name} to leave "moved"`);
      await stage.barrier(stage.node(0), clients);
      stage.expectDelivery("to-moved", clients, (c) => c === target);

      remote.disconnect();
      await target.waitFor("disconnect");
      assertEqual(target.argsOf("disconnect")[0]?.[0], "io server disconnect", `disconnect reason of ${target.name}`);
      const others = clients.filter((c) => c !== target);
      await stage.barrier(stage.lastNode, others);
      stage.expectDelivery("disconnect", others, () => false);
    }),
};

const disconnectSockets: ConformanceScenario = {
  name: "disconnectSockets() disconnects the matching sockets of every node and no other",
  run: (context) =>
    onStage(context, async (stage) => {
      const clients = await populate(stage);
      recordAll(clients, ["disconnect", "barrier"]);
      stage.node(0).namespace.in("b").except("a").disconnectSockets();
      const kicked = clients.filter((c) => inRoom("b")(c) && !inRoom("a")(c));
      await Promise.all(kicked.map((client) => client.waitFor("disconnect")));
      for (const client of kicked) {
        assertEqual(client.argsOf("disconnect")[0]?.[0], "io server disconnect", `disconnect reason of ${client.name}`);
      }
      const remaining = clients.filter((c) => !kicked.includes(c));
      await stage.barrier(stage.lastNode, remaining);
      stage.expectDelivery("disconnect", remaining, () => false);
      for (const client of remaining) assert(client.client.connected, `client ${client.name} was disconnected`);
    }),
};

const serverSideEmit: ConformanceScenario = {
  name: "serverSideEmit() reaches every other node, not the sender",
  run: (context) =>
    onStage(context, async (stage) => {
      const received: unknown[][][] = stage.cluster.nodes.map(() => []);
      stage.cluster.nodes.forEach((node, index) => {
        node.namespace.on("greeting", ((...args: unknown[]) => received[index]!.push(args)) as KitListener);
      });
      stage.node(0).namespace.serverSideEmit("greeting", "hi", { from: 0 });
      await eventually(() => received.slice(1).every((list) => list.length > 0), "every other node to get the event");
      for (let i = 1; i < stage.nodeCount; i++) assertEqual(received[i], [["hi", { from: 0 }]], `events on node ${i}`);
      assertEqual(received[0], [], "events on the sending node");
    }),
};

const serverSideEmitWithAck: ConformanceScenario = {
  name: "serverSideEmit() with an acknowledgement gets one answer per other node",
  run: (context) =>
    onStage(context, async (stage) => {
      stage.cluster.nodes.forEach((node, index) => {
        node.namespace.on("ask", ((question: unknown, answer: (value: unknown) => void) => {
          answer(`${String(question)} from ${index}`);
        }) as KitListener);
      });
      const responses = await within(
        new Promise<unknown[]>((resolve, reject) => {
          stage.node(0).namespace.serverSideEmit("ask", "q", (err: Error | null, answers: unknown[]) =>
            err ? reject(err) : resolve(answers),
          );
        }),
        "the answers of the other nodes",
        10_000,
      );
      const expected = stage.cluster.nodes.slice(1).map((_, i) => `q from ${i + 1}`);
      assertEqual(sorted(responses), sorted(expected), "answers to serverSideEmit");
    }),
};

function broadcastWithAck(stage: Stage, ms: number): Promise<{ err: Error | null; responses: unknown[] }> {
  return within(
    new Promise((resolve) => {
      const ack: KitBroadcastAck = (err, responses) => resolve({ err, responses });
      stage.lastNode.namespace.timeout(ms).to("room").emit("question", 7, ack);
    }),
    "the broadcast acknowledgements",
    ms + 5000,
  );
}

const broadcastWithAcks: ConformanceScenario = {
  name: "a broadcast with acknowledgements collects the answer of every matching client",
  run: (context) =>
    onStage(context, async (stage) => {
      const clients = await populate(stage);
      for (const client of clients) client.record("question", (args) => `${client.name}:${String(args[0])}`);
      const { err, responses } = await broadcastWithAck(stage, 5000);
      assert(err === null, `the broadcast failed: ${err?.message}`);
      const members = clients.filter(inRoom("room"));
      assertEqual(sorted(responses), sorted(members.map((c) => `${c.name}:7`)), "answers to the broadcast");
    }),
};

const broadcastWithAcksTimeout: ConformanceScenario = {
  name: "a broadcast with acknowledgements times out with the answers received when a client is silent",
  run: (context) =>
    onStage(context, async (stage) => {
      const clients = await populate(stage);
      const silent = clients.find((c) => c.name === `n${stage.nodeCount - 1}-muted`)!;
      for (const client of clients) {
        if (client === silent) client.record("question");
        else client.record("question", () => client.name);
      }
      const { err, responses } = await broadcastWithAck(stage, 300);
      assert(err !== null, "the broadcast succeeded although a client never answered");
      assertEqual(err.message, "operation has timed out", "error of the timed-out broadcast");
      const answering = clients.filter((c) => inRoom("room")(c) && c !== silent);
      assertEqual(sorted(responses), sorted(answering.map((c) => c.name)), "answers received before the timeout");
    }),
};

const serverCount: ConformanceScenario = {
  name: "serverCount() counts every node",
  run: (context) =>
    onStage(context, async (stage) => {
      for (const [index, node] of stage.cluster.nodes.entries()) {
        assertEqual(await node.namespace.adapter.serverCount(), stage.nodeCount, `serverCount() on node ${index}`);
      }
    }),
};

const connectionStateRecovery: ConformanceScenario = {
  name: "a client that loses its connection recovers its id, rooms and the broadcasts it missed",
  requires: "connectionStateRecovery",
  run: (context) =>
    onStage(
      context,
      async (stage) => {
        const node = stage.node(0);
        const [client, other] = await stage.connectAll([
          { name: "recovering", node: 0, rooms: ["news"] },
          { name: "other", node: stage.nodeCount - 1, rooms: ["news"] },
        ]);
        recordAll([client!, other!], ["warmup", "missed", "not-for-me", "after", "connect", "barrier"]);
        // The client needs an offset: the id of the last broadcast it got.
        stage.lastNode.namespace.emit("warmup");
        await client!.waitFor("warmup");
        const oldId = client!.client.id;
        const server = stage.serverSockets.get("recovering");
        assert(server !== undefined, "the server never saw the client connect");
        server.on("disconnect", (() => {
          // Emitted while the client is away: it must get these on reconnection, not lose them.
          node.namespace.to("news").emit("missed", 1);
          node.namespace.to("elsewhere").emit("not-for-me");
          node.namespace.emit("missed", 2);
        }) as KitListener);
        client!.client.io.engine.close();
        await client!.waitFor("connect");
        assert(client!.client.recovered, "the client reconnected but was not recovered");
        assertEqual(client!.client.id, oldId, "socket id after recovery");
        await client!.waitFor("missed", 2);
        assertEqual(client!.argsOf("missed").map((args) => args[0]), [1, 2], "missed broadcasts, in order");
        assertEqual(client!.argsOf("not-for-me").length, 0, "broadcasts to a room the client is not in");
        // Its rooms came back with it.
        stage.lastNode.namespace.to("news").emit("after");
        await Promise.all([client!.waitFor("after"), other!.waitFor("after")]);
        const recovered = stage.serverSockets.get("recovering");
        assert(recovered?.recovered === true, "the server-side socket does not say it was recovered");
      },
      true,
    ),
};

/** Every scenario, in a sensible order. */
export const conformanceScenarios: readonly ConformanceScenario[] = [
  serverCount,
  broadcastToAll,
  broadcastBinary,
  broadcastToRoom,
  broadcastToRooms,
  broadcastExcept,
  broadcastToSocket,
  broadcastLocal,
  joinAndLeave,
  fetchSockets,
  remoteSocketOperations,
  disconnectSockets,
  serverSideEmit,
  serverSideEmitWithAck,
  broadcastWithAcks,
  broadcastWithAcksTimeout,
  connectionStateRecovery,
];

/** The scenarios that apply to `harness` (those needing an unsupported feature are left out). */
export function scenariosFor(harness: ConformanceHarness): ConformanceScenario[] {
  return conformanceScenarios.filter((scenario) => scenario.requires === undefined || harness.supports?.[scenario.requires] === true);
}

export interface ConformanceResult {
  name: string;
  error?: Error;
}

/**
 * Runs every applicable scenario one after the other and resolves with the outcome of each; it
 * never rejects, so a runner can report them all. Test runners may instead map
 * {@link scenariosFor} to their own test cases.
 */
export async function runConformance(harness: ConformanceHarness, nodeCount: number): Promise<ConformanceResult[]> {
  const results: ConformanceResult[] = [];
  for (const scenario of scenariosFor(harness)) {
    try {
      await scenario.run({ harness, nodeCount });
      results.push({ name: scenario.name });
    } catch (err) {
      results.push({ name: scenario.name, error: err instanceof Error ? err : new Error(String(err)) });
    }
  }
  return results;
}
