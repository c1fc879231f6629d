// Our client and the official engine.io-client 6.6 side by side against the official server: the requests they
// make (paths, query parameters, content types) and the packets the server receives must be the same.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { attach, type Socket as ServerSocket } from "engine.io";
import { Socket as OfficialSocket } from "engine.io-client";
import { Socket as OurSocket } from "@sockwave/engine-client";

interface Recorded {
  method: string;
  path: string;
  /** Query parameters, with the values that change on every run replaced by their presence. */
  query: Record<string, string>;
  contentType: string | undefined;
  webSocketExtensions: string | undefined;
}

interface ClientLike {
  on(event: string, listener: (...args: never[]) => void): unknown;
  send(data: string | Uint8Array): unknown;
  close(): unknown;
}

type ClientFactory = (uri: string, opts: Record<string, unknown>) => ClientLike;

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** Runs one client through open, two sends, an echo and close; returns what the server saw. */
async function record(factory: ClientFactory, opts: Record<string, unknown>, closeOn: "message" | "upgrade" = "message"): Promise<{ requests: Recorded[]; received: unknown[]; packets: string[] }> {
  const http = createServer();
  const engine = attach(http, {});
  const requests: Recorded[] = [];
  const received: unknown[] = [];
  const packets: string[] = [];
  const track = (req: IncomingMessage): void => {
    const url = new URL(req.url!, "http://x");
    const query: Record<string, string> = {};
    for (const [name, value] of url.searchParams) query[name] = name === "t" || name === "sid" ? "<set>" : value;
    requests.push({
      method: req.method!,
      path: url.pathname,
      query,
      contentType: req.headers["content-type"],
      webSocketExtensions: req.headers["sec-websocket-extensions"],
    });
  };
  http.prependListener("request", track);
  http.prependListener("upgrade", track);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  cleanups.push(async () => {
    engine.close();
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  });
  const done = new Promise<void>((resolve) => {
    engine.on("connection", (socket: ServerSocket) => {
      socket.on("packet", (packet: { type: string; data?: unknown }) => {
        // pings depend on timing
        if (packet.type !== "pong") packets.push(`${packet.type}:${typeof packet.data === "string" ? packet.data : packet.data === undefined ? "" : "<binary>"}`);
      });
      socket.on("message", (data: unknown) => {
        received.push(typeof data === "string" ? data : [...(data as Buffer)]);
        if (received.length === 2) socket.send("echo");
      });
      socket.on("close", () => resolve());
    });
  });
  const client = factory(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, opts);
  client.on("open", () => {
    client.send("héllo");
    client.send(new Uint8Array([1, 2, 3]));
  });
  // After the upgrade the session still has to echo, so both events come before the close.
  let upgraded = closeOn === "message";
  let echoed = false;
  const closeWhenDone = (): void => {
    // Deferred: engine.io-client ignores close() from inside an upgrade listener (it still counts as upgrading).
    if (upgraded && echoed) queueMicrotask(() => client.close());
  };
  client.on("upgrade", () => {
    upgraded = true;
    closeWhenDone();
  });
  client.on("message", () => {
    echoed = true;
    closeWhenDone();
  });
  await done;
  return { requests, received, packets };
}

const official: ClientFactory = (uri, opts) => new OfficialSocket(uri, opts) as unknown as ClientLike;
const ours: ClientFactory = (uri, opts) => new OurSocket(uri, opts) as unknown as ClientLike;

/** Requests in a canonical order: the interleaving of the GET and POST streams is timing, not protocol. */
function canonical(requests: Recorded[]): Recorded[] {
  const key = (request: Recorded): string => `${request.method} ${JSON.stringify(request.query)}`;
  return [...requests].sort((a, b) => key(a).localeCompare(key(b)));
}

describe.each([
  { name: "polling", opts: { transports: ["polling"] } },
  { name: "polling with forceBase64 and a query", opts: { transports: ["polling"], forceBase64: true, query: { room: "a b" } } },
  { name: "websocket", opts: { transports: ["websocket"] } },
])("requests over $name", ({ opts }) => {
  it("match the official client's", async () => {
    const theirs = await record(official, opts);
    const mine = await record(ours, opts);
    expect(mine.received).toEqual(theirs.received);
    expect(mine.received).toEqual(["héllo", [1, 2, 3]]);
    expect(mine.packets).toEqual(theirs.packets);
    // The same requests with the same query and headers; only the number of held GETs may differ.
    const withoutGets = (requests: Recorded[]): Recorded[] => canonical(requests.filter((r) => r.method !== "GET" || !r.query.sid));
    expect(withoutGets(mine.requests)).toEqual(withoutGets(theirs.requests));
    const getShapes = (requests: Recorded[]): string[] => [
      ...new Set(requests.filter((r) => r.method === "GET" && r.query.sid).map((r) => JSON.stringify(r))),
    ];
    expect(getShapes(mine.requests)).toEqual(getShapes(theirs.requests));
  });
});

describe("the upgrade", () => {
  it("opens its WebSocket with the official client's URL and extensions", async () => {
    const upgradeOf = async (factory: ClientFactory): Promise<string> => {
      const { requests } = await record(factory, {}, "upgrade");
      const upgrade = requests.find((request) => request.query.transport === "websocket");
      return JSON.stringify(upgrade);
    };
    const theirs = await upgradeOf(official);
    expect(theirs).toContain('"sid":"<set>"');
    expect(await upgradeOf(ours)).toBe(theirs);
  });
});
