import { once } from "node:events";
import { createServer, type Server as HttpServer } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { Socket as ClientSocket } from "engine.io-client";
import { Server, prepareMessage, type ServerOptions, type Socket } from "@sockwave/engine-server";

// engine.io-client 3 ships no types: describe the little these tests use
interface V3ClientSocket {
  on(event: string, listener: (...args: unknown[]) => void): void;
  once(event: string, listener: (...args: unknown[]) => void): void;
  send(data: unknown): void;
  close(): void;
  transport: { name: string };
}
const require = createRequire(import.meta.url);
const eioV3 = require("engine.io-client-v3") as (uri: string, opts: Record<string, unknown>) => V3ClientSocket;

let http: HttpServer | undefined;
let engine: Server | undefined;
const clients: Array<{ close(): void }> = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  engine?.close();
  if (http) {
    http.closeAllConnections();
    await new Promise((resolve) => http!.close(resolve));
  }
  http = engine = undefined;
});

async function start(opts: ServerOptions = {}): Promise<string> {
  http = createServer();
  engine = new Server(opts);
  engine.attach(http);
  // echo everything back, so the client sees what the server received
  engine.on("connection", (socket: Socket) => socket.on("message", (data: string | Buffer) => socket.send(data)));
  http.listen(0, "127.0.0.1");
  await once(http, "listening");
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

/** The next occurrence of a client event (engine.io-client's emitter is not a Node EventEmitter). */
function clientEvent(client: { once(event: string, listener: (...args: unknown[]) => void): unknown }, event: string): Promise<unknown> {
  return new Promise((resolve) => client.once(event, resolve));
}

function nextClientMessage(client: { once(event: string, listener: (data: unknown) => void): void }): Promise<unknown> {
  return new Promise((resolve) => client.once("message", resolve));
}

function asBytes(data: unknown): number[] {
  if (data instanceof ArrayBuffer) return [...new Uint8Array(data)];
  if (ArrayBuffer.isView(data)) return [...new Uint8Array(data.buffer, data.byteOffset, data.byteLength)];
  throw new Error(`expected binary data, got ${typeof data}`);
}

describe("engine.io-client 6.6 against @sockwave/engine-server", () => {
  for (const transports of [["polling"], ["websocket"]] as const) {
    it(`exchanges text and binary over ${transports[0]}`, async () => {
      const url = await start();
      const client = new ClientSocket(url, { transports: [...transports] });
      clients.push(client);
      await clientEvent(client, "open");
      expect(client.transport.name).toBe(transports[0]);
      const text = nextClientMessage(client);
      client.send("héllo");
      expect(await text).toBe("héllo");
      const binary = nextClientMessage(client);
      client.send(new Uint8Array([1, 2, 3]));
      expect(asBytes(await binary)).toEqual([1, 2, 3]);
      expect(engine!.clientsCount).toBe(1);
    });
  }

  it("upgrades from polling to websocket and keeps messaging", async () => {
    const url = await start();
    const serverSocket = new Promise<Socket>((resolve) => engine!.once("connection", resolve));
    const client = new ClientSocket(url);
    clients.push(client);
    await clientEvent(client, "upgrade");
    expect(client.transport.name).toBe("websocket");
    const socket = await serverSocket;
    // the client reports the upgrade as soon as it has sent the upgrade packet
    if (!socket.upgraded) await once(socket, "upgrade");
    expect(socket.transport.name).toBe("websocket");
    const echoed = nextClientMessage(client);
    client.send("after upgrade");
    expect(await echoed).toBe("after upgrade");
    const prepared = nextClientMessage(client);
    socket.write(prepareMessage("prepared"));
    expect(await prepared).toBe("prepared");
  });

  it("survives several heartbeats", async () => {
    const url = await start({ pingInterval: 40, pingTimeout: 1000 });
    const serverSocket = new Promise<Socket>((resolve) => engine!.once("connection", resolve));
    const client = new ClientSocket(url, { transports: ["websocket"] });
    clients.push(client);
    const socket = await serverSocket;
    let heartbeats = 0;
    await new Promise<void>((resolve) =>
      socket.on("heartbeat", () => {
        if (++heartbeats === 3) resolve();
      }),
    );
    expect(socket.readyState).toBe("open");
  });

  it("reports a client close as transport close and a server close to the client", async () => {
    const url = await start();
    const first = new Promise<Socket>((resolve) => engine!.once("connection", resolve));
    const client = new ClientSocket(url, { transports: ["websocket"] });
    await clientEvent(client, "open");
    const socket = await first;
    const closed = new Promise((resolve) => socket.once("close", resolve));
    client.close();
    expect(await closed).toBe("transport close");

    const second = new Promise<Socket>((resolve) => engine!.once("connection", resolve));
    const other = new ClientSocket(url);
    clients.push(other);
    await clientEvent(other, "open");
    const clientClosed = clientEvent(other, "close");
    (await second).close();
    await clientClosed;
    expect(engine!.clientsCount).toBe(0);
  });
});

describe("engine.io-client 3 against @sockwave/engine-server (allowEIO3)", () => {
  for (const transports of [["polling"], ["websocket"], ["polling", "websocket"]]) {
    it(`exchanges text and binary over ${transports.join(" then ")}`, async () => {
      const url = await start({ allowEIO3: true });
      const client = eioV3(url, { transports });
      clients.push(client);
      if (transports.length === 2) await new Promise((resolve) => client.once("upgrade", resolve));
      else await new Promise((resolve) => client.once("open", resolve));
      expect(client.transport.name).toBe(transports[transports.length - 1]);
      const text = nextClientMessage(client);
      client.send("héllo");
      expect(await text).toBe("héllo");
      const binary = nextClientMessage(client);
      client.send(Buffer.from([4, 5, 6]));
      expect(asBytes(await binary)).toEqual([4, 5, 6]);
    });
  }

  it("pings and gets pongs (client-driven heartbeat)", async () => {
    const url = await start({ allowEIO3: true, pingInterval: 40, pingTimeout: 1000 });
    const client = eioV3(url, { transports: ["websocket"] });
    clients.push(client);
    let pongs = 0;
    await new Promise<void>((resolve) =>
      client.on("pong", () => {
        if (++pongs === 2) resolve();
      }),
    );
    expect(engine!.clientsCount).toBe(1);
  });

  it("is refused without allowEIO3", async () => {
    const url = await start();
    const client = eioV3(url, { transports: ["polling"] });
    clients.push(client);
    const error = await new Promise((resolve) => client.once("error", resolve));
    expect(error).toBeInstanceOf(Error);
    expect(engine!.clientsCount).toBe(0);
  });
});
