import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { Server } from "@sockwave/io-server";
import { io } from "@sockwave/io-client";
import {
  Adapter,
  MessageType,
  SessionAwareAdapter,
  type AdapterPacket,
  type ClusterMessage,
  type BroadcastOptions,
  type Session,
} from "@sockwave/io-adapter";
import {
  ConformanceError,
  InProcessBus,
  conformanceScenarios,
  createHarness,
  scenariosFor,
  type AdapterConstructor,
  type ClusterOptions,
  type ConformanceHarness,
  type StartedServer,
  type KitClient,
  type KitNamespace,
} from "@sockwave/io-adapter/testing";

// The whole conformance kit, against the real server and client: the in-memory adapter on one
// node, and the in-process cluster adapters (with and without heartbeats) on three.

async function startNode(adapter: AdapterConstructor | undefined, options: ClusterOptions): Promise<StartedServer> {
  const http: HttpServer = createServer();
  const server = new Server(http, {
    ...(adapter ? { adapter } : {}),
    ...(options.connectionStateRecovery ? { connectionStateRecovery: { maxDisconnectionDuration: 10_000 } } : {}),
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  return { namespace: server.of("/") as unknown as KitNamespace, url: `http://127.0.0.1:${port}`, close: () => server.close() };
}

function harnessFor(makeAdapter: (() => AdapterConstructor) | undefined, supportsRecovery: boolean): ConformanceHarness {
  return createHarness({
    supports: { connectionStateRecovery: supportsRecovery },
    startServers(count, options) {
      const adapter = makeAdapter?.();
      return Promise.all(Array.from({ length: count }, () => startNode(adapter, options)));
    },
    openClient: (url, auth) =>
      io(url, { auth, transports: ["websocket"], reconnectionDelay: 20, reconnectionDelayMax: 50, forceNew: true }) as unknown as KitClient,
  });
}

const harnesses: Array<[string, number, ConformanceHarness]> = [
  ["in-memory adapter, 1 node", 1, harnessFor(undefined, true)],
  ["ClusterAdapter on an in-process bus, 3 nodes", 3, harnessFor(() => new InProcessBus().clusterAdapter(), false)],
  [
    "ClusterAdapterWithHeartbeat on an in-process bus, 3 nodes",
    3,
    harnessFor(() => new InProcessBus().heartbeatAdapter(), false),
  ],
];

describe.each(harnesses)("conformance: %s", (_name, nodeCount, harness) => {
  for (const scenario of scenariosFor(harness)) {
    it(scenario.name, () => scenario.run({ harness, nodeCount }));
  }
});

// The kit must catch broken adapters, not only pass good ones.

class IgnoresExcept extends Adapter {
  override broadcast(packet: AdapterPacket, opts: BroadcastOptions): void {
    super.broadcast(packet, { ...opts, except: new Set() });
  }
}

class DeliversTwice extends Adapter {
  override broadcast(packet: AdapterPacket, opts: BroadcastOptions): void {
    super.broadcast(packet, opts);
    super.broadcast(packet, opts);
  }
}

class ForgetsSessions extends SessionAwareAdapter {
  override restoreSession(): Promise<Session | null> {
    return Promise.resolve(null);
  }
}

/** A transport that loses the `except` rooms of the broadcasts it carries. */
function losingExcept(message: ClusterMessage): ClusterMessage {
  if (message.type === MessageType.BROADCAST) message.data.opts.except = [];
  return message;
}

function scenarioNamed(fragment: string) {
  const scenario = conformanceScenarios.find((s) => s.name.includes(fragment));
  if (!scenario) throw new Error(`no scenario about ${fragment}`);
  return scenario;
}

describe("the conformance kit rejects broken adapters", () => {
  const cases: Array<[string, string, number, ConformanceHarness]> = [
    ["an adapter ignoring except()", "except()", 1, harnessFor(() => IgnoresExcept, false)],
    ["an adapter delivering twice", "reaches every client", 1, harnessFor(() => DeliversTwice, false)],
    ["an adapter losing sessions", "recovers its id", 1, harnessFor(() => ForgetsSessions, true)],
    ["a cluster adapter losing except() across nodes", "except()", 3, harnessFor(() => new InProcessBus(losingExcept).clusterAdapter(), false)],
  ];
  it.each(cases)("%s", async (_name, fragment, nodeCount, harness) => {
    const failure = await scenarioNamed(fragment).run({ harness, nodeCount }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(ConformanceError);
  });
});
