import { createServer } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { Server, type ServerOptions } from "socket.io";
import { io } from "socket.io-client";
import {
  Adapter,
  MessageType,
  SessionAwareAdapter,
  type AdapterNamespace,
  type ClusterMessage,
  type ClusterResponse,
} from "@sockwave/io-adapter";
import {
  InProcessBus,
  createHarness,
  scenariosFor,
  type ClusterOptions,
  type ConformanceHarness,
  type StartedServer,
  type KitClient,
  type KitNamespace,
} from "@sockwave/io-adapter/testing";

// Our adapters inside the official socket.io 4.8.4 server, driven by the official client through
// the whole conformance kit: alone (in-memory), and in one cluster with the official
// ClusterAdapterWithHeartbeat of socket.io-adapter 2.5, exchanging cluster messages over one bus.

/** The members of the official cluster adapter this file uses (it ships its own, untyped here). */
interface OfficialClusterAdapter {
  readonly uid: string;
  onMessage(message: ClusterMessage, offset?: string): void;
  onResponse(response: ClusterResponse): void;
  close(): void;
}
type OfficialClusterAdapterClass = new (nsp: unknown, opts: object) => OfficialClusterAdapter;

// socket.io-adapter is socket.io's own dependency: load the very copy the official server uses.
const official = createRequire(createRequire(import.meta.url).resolve("socket.io"))("socket.io-adapter") as {
  ClusterAdapterWithHeartbeat: OfficialClusterAdapterClass;
  MessageType: Record<string, number>;
};

/** socket.io-adapter's own cluster adapter, carried by our in-process bus. */
function officialAdapterOn(bus: InProcessBus): AdapterOption {
  class OfficialOnBus extends official.ClusterAdapterWithHeartbeat {
    private readonly endpoint;
    constructor(nsp: unknown) {
      super(nsp, {});
      this.endpoint = bus.connect(this.uid, nsp as AdapterNamespace, (m, o) => this.onMessage(m, o), (r) => this.onResponse(r));
    }
    doPublish(message: ClusterMessage): Promise<string> {
      return this.endpoint.publish(message);
    }
    doPublishResponse(requesterUid: string, response: ClusterResponse): Promise<void> {
      return this.endpoint.respond(requesterUid, response);
    }
    override close(): void {
      super.close();
      this.endpoint.leave();
    }
  }
  return OfficialOnBus as unknown as AdapterOption;
}

type AdapterOption = ServerOptions["adapter"];

function harness(adapterFor: (node: number, options: ClusterOptions) => AdapterOption, supportsRecovery: boolean): ConformanceHarness {
  return createHarness({
    supports: { connectionStateRecovery: supportsRecovery },
    startServers: (count, options) =>
      Promise.all(
        Array.from({ length: count }, async (_, node): Promise<StartedServer> => {
          const http = createServer();
          const server = new Server(http, {
            adapter: adapterFor(node, options),
            ...(options.connectionStateRecovery ? { connectionStateRecovery: {} } : {}),
          });
          await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
          const { port } = http.address() as AddressInfo;
          return { namespace: server.of("/") as unknown as KitNamespace, url: `http://127.0.0.1:${port}`, close: () => server.close() };
        }),
      ),
    openClient: (url, auth) =>
      io(url, { auth, transports: ["websocket"], reconnectionDelay: 20, reconnectionDelayMax: 50, forceNew: true }) as unknown as KitClient,
  });
}

const inMemory = harness(
  (_node, { connectionStateRecovery }) =>
    (connectionStateRecovery ? SessionAwareAdapter : Adapter) as unknown as AdapterOption,
  true,
);

// Nodes 0 and 2 run our ClusterAdapterWithHeartbeat, node 1 the official one: every scenario
// crosses from ours to theirs and back.
let mixedBus = new InProcessBus();
const mixed = harness((node) => {
  if (node === 0) mixedBus = new InProcessBus();
  return node === 1 ? officialAdapterOn(mixedBus) : (mixedBus.heartbeatAdapter() as unknown as AdapterOption);
}, false);

describe.each([
  ["our in-memory adapters in socket.io 4.8.4, 1 node", 1, inMemory],
  ["ours and socket.io-adapter's cluster adapters in one cluster, 3 nodes", 3, mixed],
] as const)("conformance: %s", (_name, nodeCount, kitHarness) => {
  for (const scenario of scenariosFor(kitHarness)) {
    it(scenario.name, () => scenario.run({ harness: kitHarness, nodeCount }));
  }
});

describe("cluster message numbering", () => {
  it("matches socket.io-adapter's MessageType", () => {
    const numbered = (table: object) => Object.entries(table).filter(([, value]) => typeof value === "number");
    expect(numbered(MessageType)).toEqual(numbered(official.MessageType));
    expect(numbered(MessageType)).toHaveLength(13);
  });
});

describe("membership across implementations", () => {
  it("a node of either implementation that closes is forgotten by the others", async () => {
    const cluster = await mixed.createNodes(3, { connectionStateRecovery: false });
    try {
      const adapters = cluster.nodes.map((node) => node.namespace.adapter as unknown as { serverCount(): Promise<number>; close(): void });
      const counts = async (indexes: number[]) => Promise.all(indexes.map((i) => adapters[i]!.serverCount()));
      expect(await counts([0, 1, 2])).toEqual([3, 3, 3]);
      adapters[0]!.close(); // ours says ADAPTER_CLOSE
      await expect.poll(() => counts([1, 2]), { timeout: 5000 }).toEqual([2, 2]);
      adapters[1]!.close(); // the official one says it
      await expect.poll(() => counts([2]), { timeout: 5000 }).toEqual([1]);
    } finally {
      await cluster.close();
    }
  });
});
