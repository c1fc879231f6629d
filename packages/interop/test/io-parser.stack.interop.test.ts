// @sockwave/io-parser plugged into the official socket.io 4.8.4 server and client (their `parser`
// option), talking to the other side running socket.io-parser 4.2.7, over real sockets.
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { Server, type Socket as ServerSocket } from "socket.io";
import { io, type Socket as ClientSocket } from "socket.io-client";
import * as sockwaveParser from "@sockwave/io-parser";
// @ts-expect-error socket.io-client 2 ships no type declarations
import ioV2 from "socket.io-client-v2";

type Parser = NonNullable<ConstructorParameters<typeof Server>[1]>["parser"];
const ourParser = sockwaveParser as unknown as Parser;

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startServer(parser?: Parser, allowEIO3 = false): Promise<{ server: Server; url: string }> {
  const http: HttpServer = createServer();
  const server = new Server(http, { allowEIO3, ...(parser ? { parser } : {}) });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        http.closeAllConnections();
      }),
  );
  return { server, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
}

function connect(url: string, parser?: Parser): ClientSocket {
  const socket = io(url, { forceNew: true, transports: ["websocket"], reconnection: false, ...(parser ? { parser } : {}) });
  cleanups.push(() => {
    socket.disconnect();
  });
  return socket;
}

const once = <T>(emitter: { once(event: string, listener: (value: T) => void): unknown }, event: string): Promise<T> =>
  new Promise((resolve) => emitter.once(event, resolve));

const pairings: Array<[string, Parser | undefined, Parser | undefined]> = [
  ["our parser in the server, the official one in the client", ourParser, undefined],
  ["the official parser in the server, ours in the client", undefined, ourParser],
];

describe.each(pairings)("%s", (_name, serverParser, clientParser) => {
  it("events and acknowledgements with nested binaries travel both ways", async () => {
    const { server, url } = await startServer(serverParser);
    server.of("/files").on("connection", (socket: ServerSocket) => {
      socket.on("upload", (meta: { name: string; parts: Buffer[] }, ack: (reply: unknown) => void) => {
        ack({ name: meta.name, sizes: meta.parts.map((part) => part.length), echo: meta.parts[1] });
      });
      socket.emit("welcome", "hi", { blob: Buffer.from([9, 8, 7]) });
    });
    const client = connect(`${url}/files`, clientParser);
    const [greeting, payload] = await new Promise<[string, { blob: ArrayBuffer | Buffer }]>((resolve) =>
      client.once("welcome", (text: string, body: { blob: ArrayBuffer | Buffer }) => resolve([text, body])),
    );
    expect(greeting).toBe("hi");
    expect([...new Uint8Array(payload.blob)]).toEqual([9, 8, 7]);

    const reply = (await client.emitWithAck("upload", {
      name: "a.bin",
      parts: [new Uint8Array([1]), new Uint8Array([2, 3])],
    })) as { name: string; sizes: number[]; echo: ArrayBuffer | Buffer };
    expect(reply.name).toBe("a.bin");
    expect(reply.sizes).toEqual([1, 2]);
    expect([...new Uint8Array(reply.echo)]).toEqual([2, 3]);
  });

  it("connect errors carry their message and data", async () => {
    const { server, url } = await startServer(serverParser);
    server.use((_socket, next) => {
      const error = new Error("not allowed") as Error & { data: unknown };
      error.data = { reason: "token" };
      next(error);
    });
    const client = connect(url, clientParser);
    const error = await once<Error & { data: unknown }>(client, "connect_error");
    expect(error.message).toBe("not allowed");
    expect(error.data).toEqual({ reason: "token" });
  });
});

describe("the official server with either parser, against bad input", () => {
  /** Sends `raw` below the client's checks; resolves with the server socket's error and disconnect reason. */
  async function sendRaw(parser: Parser | undefined, raw: string): Promise<{ error: Error; reason: string }> {
    const { server, url } = await startServer(parser);
    const outcome = new Promise<{ error: Error; reason: string }>((resolve) => {
      server.on("connection", (socket: ServerSocket) => {
        let error = new Error("no error event");
        socket.on("error", (received: Error) => {
          error = received;
        });
        socket.on("disconnect", (reason: string) => resolve({ error, reason }));
      });
    });
    const client = connect(url);
    await once(client, "connect");
    (client.io.engine as unknown as { send(data: string): void }).send(raw);
    return outcome;
  }

  for (const raw of ['2["disconnect"]', "2[", "0[]", "9"]) {
    it(`closes the connection on ${raw} as the official parser does, with a clearer error`, async () => {
      const official = await sendRaw(undefined, raw);
      const ours = await sendRaw(ourParser, raw);
      expect(ours.reason).toBe(official.reason);
      expect(ours.error).toBeInstanceOf(sockwaveParser.DecodeError);
      expect(ours.error.message).toMatch(/^(invalid [A-Z_]+ packet: |unknown packet type)/);
    });
  }
});

describe("the official server with our parser, and a socket.io-client 2 (protocol 4 packets)", () => {
  interface V2Socket {
    on(event: string, listener: (...args: never[]) => void): V2Socket;
    emit(event: string, ...args: unknown[]): V2Socket;
    close(): void;
  }
  const connectV2 = ioV2 as (url: string, opts: object) => V2Socket;

  it("reads the query a v2 client puts in the namespace (a long token) and binary events", async () => {
    const { server, url } = await startServer(ourParser, true);
    const token = "t".repeat(4000);
    const received = new Promise<{ token: unknown; bytes: number[] }>((resolve) => {
      server.of("/admin").on("connection", (socket: ServerSocket) => {
        socket.on("bytes", (data: Buffer) => resolve({ token: socket.handshake.query.token, bytes: [...data] }));
      });
    });
    const socket = connectV2(`${url}/admin`, { query: { token }, transports: ["websocket"], forceNew: true, reconnection: false });
    cleanups.push(() => socket.close());
    socket.on("connect", () => socket.emit("bytes", Buffer.from([4, 5])));
    expect(await received).toEqual({ token, bytes: [4, 5] });
  });
});
