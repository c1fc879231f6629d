import { ConformanceError, eventually, within } from "./assert";
import type { ClusterOptions, ConformanceCluster, ConformanceHarness, KitClient, KitListener, KitNamespace } from "./harness";

/** One started server, as {@link createHarness} needs it. */
export interface StartedServer {
  /** The main namespace, `io.of("/")`. */
  readonly namespace: KitNamespace;
  /** Where clients connect, e.g. `http://127.0.0.1:<port>`. */
  readonly url: string;
  close(): Promise<void>;
}

export interface HarnessParts {
  /** Starts `count` servers sharing the adapter under test (and a fresh transport between them). */
  startServers(count: number, options: ClusterOptions): Promise<StartedServer[]>;
  /**
   * Opens a client to `url` sending `auth`, without waiting for it to connect. It must reconnect
   * on its own, quickly and to the same url (e.g. `reconnectionDelay: 20`), and not share a
   * connection with other clients (`forceNew: true`).
   */
  openClient(url: string, auth: Record<string, unknown>): KitClient;
  readonly supports?: ConformanceHarness["supports"];
}

/**
 * Builds a {@link ConformanceHarness} from the two things only an adapter package knows: how to
 * start servers with its adapter, and how to open a client. It waits for the nodes to see each
 * other, tracks the clients and closes everything afterwards.
 */
export function createHarness(parts: HarnessParts): ConformanceHarness {
  return {
    supports: parts.supports,
    async createNodes(count, options): Promise<ConformanceCluster> {
      const servers = await parts.startServers(count, options);
      const clients: KitClient[] = [];
      const close = async (): Promise<void> => {
        for (const client of clients) client.disconnect();
        await Promise.all(servers.map((server) => server.close()));
      };
      try {
        await eventually(
          async () => (await Promise.all(servers.map((s) => s.namespace.adapter.serverCount()))).every((n) => n === count),
          `the ${count} nodes to see each other (serverCount() = ${count} on each)`,
          10_000,
        );
      } catch (err) {
        await close();
        throw err;
      }
      return {
        nodes: servers.map((server) => ({
          namespace: server.namespace,
          connect: ({ auth }) => {
            const client = parts.openClient(server.url, auth);
            clients.push(client);
            return within(connected(client), `a client to connect to ${server.url}`);
          },
        })),
        close,
      };
    },
  };
}

function connected(client: KitClient): Promise<KitClient> {
  return new Promise((resolve, reject) => {
    const onConnect = (): void => {
      client.off("connect_error", onError as KitListener);
      resolve(client);
    };
    const onError = (err: Error): void => {
      client.off("connect", onConnect);
      reject(new ConformanceError(`a client could not connect: ${err.message}`));
    };
    client.on("connect", onConnect);
    client.on("connect_error", onError as KitListener);
  });
}
