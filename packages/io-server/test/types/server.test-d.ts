import { expectTypeOf, test } from "vitest";
import { Adapter, type AdapterNamespace } from "@sockwave/io-adapter";
import * as ioParser from "@sockwave/io-parser";
import { Namespace, Server, type DisconnectReason, type RemoteSocket, type Socket } from "@sockwave/io-server";

interface ClientToServer {
  hello: (name: string) => void;
  withAck: (value: string, callback: (count: number) => void) => void;
}
interface ServerToClient {
  noArgs: () => void;
  basic: (a: number, b: string) => void;
  withAck: (value: string, callback: (count: number) => void) => void;
}
interface InterServer {
  ping: () => void;
  question: (callback: (answer: string) => void) => void;
}
interface SocketData {
  user: string;
}

type TypedServer = Server<ClientToServer, ServerToClient, InterServer, SocketData>;
type TypedSocket = Socket<ClientToServer, ServerToClient, InterServer, SocketData>;

test("listeners are typed by ListenEvents; reserved events by the library", () => {
  const io: TypedServer = new Server();
  io.on("connection", (socket) => {
    expectTypeOf(socket).toEqualTypeOf<TypedSocket>();
    socket.on("hello", (name) => expectTypeOf(name).toEqualTypeOf<string>());
    socket.on("withAck", (value, callback) => {
      expectTypeOf(value).toEqualTypeOf<string>();
      callback(1);
      // @ts-expect-error the acknowledgement takes a number
      callback("one");
    });
    socket.on("disconnect", (reason) => expectTypeOf(reason).toEqualTypeOf<DisconnectReason>());
    // @ts-expect-error not a client event
    socket.on("unknown", () => {});
    expectTypeOf(socket.data).toEqualTypeOf<SocketData>();
  });
});

test("emits are typed by EmitEvents, with acknowledgements and timeouts", () => {
  const io: TypedServer = new Server();
  io.on("connection", (socket) => {
    socket.emit("noArgs");
    socket.emit("basic", 1, "a");
    // @ts-expect-error wrong argument types
    socket.emit("basic", "a", 1);
    // @ts-expect-error not a server event
    socket.emit("nope");
    socket.emit("withAck", "x", (count) => expectTypeOf(count).toEqualTypeOf<number>());
    socket.timeout(100).emit("withAck", "x", (err, count) => {
      expectTypeOf(err).toEqualTypeOf<Error>();
      expectTypeOf(count).toEqualTypeOf<number>();
    });
    expectTypeOf(socket.emitWithAck("withAck", "x")).toEqualTypeOf<Promise<number>>();
    expectTypeOf(socket.timeout(5).emitWithAck("withAck", "x")).toEqualTypeOf<Promise<number>>();
    socket.broadcast.emit("basic", 1, "b");
  });
});

test("broadcasts: no acknowledgement without timeout on io.emit; arrays of responses otherwise", () => {
  const io: TypedServer = new Server();
  io.emit("basic", 1, "a");
  // @ts-expect-error a broadcast from the namespace cannot expect an acknowledgement
  io.emit("withAck", "x", () => {});
  io.to("room").emit("withAck", "x", (counts) => expectTypeOf(counts).toEqualTypeOf<number[]>());
  io.timeout(10).emit("withAck", "x", (err, counts) => {
    expectTypeOf(err).toEqualTypeOf<Error>();
    expectTypeOf(counts).toEqualTypeOf<number[]>();
  });
  expectTypeOf(io.timeout(10).emitWithAck("withAck", "x")).toEqualTypeOf<Promise<number[]>>();
  expectTypeOf(io.to("r").except("s").volatile.compress(false).local).toHaveProperty("emit");
});

test("server-side events and fetchSockets", async () => {
  const io: TypedServer = new Server();
  io.serverSideEmit("ping");
  // @ts-expect-error not a server-side event
  io.serverSideEmit("pong");
  expectTypeOf(io.serverSideEmitWithAck("question")).toEqualTypeOf<Promise<string[]>>();
  io.on("ping", () => {});
  const sockets = await io.fetchSockets();
  expectTypeOf(sockets).toEqualTypeOf<RemoteSocket<ServerToClient, SocketData>[]>();
  expectTypeOf(sockets[0]!.data).toEqualTypeOf<SocketData>();
});

test("without type parameters everything is allowed", () => {
  const io = new Server();
  io.on("connection", (socket) => {
    socket.on("anything", (a: number, b: string) => void [a, b]);
    socket.emit("whatever", 1, { x: 2 }, () => {});
    expectTypeOf(socket.emitWithAck("question", 1)).resolves.toBeAny();
    expectTypeOf(socket.data).toBeAny();
    expectTypeOf(socket.emit).parameter(0).toBeString();
  });
  io.emit("any", 1, 2, 3);
  io.of("/admin").to("room").emit("x");
});

test("the parser and adapter options are typed and accept the usual values", () => {
  new Server({ parser: ioParser });
  new Server({ adapter: Adapter });
  new Server({ adapter: (nsp: AdapterNamespace) => new Adapter(nsp) });
  new Server({ adapter: (nsp: Namespace) => new Adapter(nsp) });
  // @ts-expect-error a parser needs an Encoder and a Decoder
  new Server({ parser: { Encoder: class {} } });
});
