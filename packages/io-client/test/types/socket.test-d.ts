import { describe, expectTypeOf, it } from "vitest";
import io, { connect, Manager, Socket, type ExtendedError } from "@sockwave/io-client";

interface ServerToClient {
  news: (headline: string, priority: number) => void;
  ask: (question: string, answer: (reply: boolean) => void) => void;
}

interface ClientToServer {
  hello: (name: string) => void;
  sum: (a: number, b: number, ack: (total: number) => void) => void;
}

describe("typed events", () => {
  it("types listeners and emits from the event maps", () => {
    const socket: Socket<ServerToClient, ClientToServer> = io({ autoConnect: false });
    socket.on("news", (headline, priority) => {
      expectTypeOf(headline).toEqualTypeOf<string>();
      expectTypeOf(priority).toEqualTypeOf<number>();
    });
    socket.on("ask", (_question, answer) => answer(true));
    socket.emit("hello", "me");
    socket.emit("sum", 1, 2, (total) => expectTypeOf(total).toEqualTypeOf<number>());
    // @ts-expect-error wrong argument type
    socket.emit("hello", 42);
    // @ts-expect-error unknown event
    socket.emit("goodbye");
    // @ts-expect-error wrong listener signature
    socket.on("news", (headline: number) => headline);
  });

  it("types the reserved events", () => {
    const socket = io("http://localhost:3000", { autoConnect: false });
    socket.on("connect", () => undefined);
    socket.on("connect_error", (err) => expectTypeOf(err).toEqualTypeOf<ExtendedError>());
    socket.on("disconnect", (reason, description) => {
      expectTypeOf(reason).toEqualTypeOf<Socket.DisconnectReason>();
      expectTypeOf(description).toEqualTypeOf<Error | { description: string; context?: unknown } | undefined>();
    });
    socket.io.on("reconnect_attempt", (attempt) => expectTypeOf(attempt).toEqualTypeOf<number>());
    socket.io.on("close", (reason) => expectTypeOf(reason).toEqualTypeOf<string>());
    // @ts-expect-error reserved event names take their own listeners
    socket.on("connect", (value: string) => value);
  });

  it("prepends an error to acks after timeout() and resolves emitWithAck with the ack's value", async () => {
    const socket: Socket<ServerToClient, ClientToServer> = io({ autoConnect: false });
    socket.timeout(1000).emit("sum", 1, 2, (err, total) => {
      expectTypeOf(err).toEqualTypeOf<Error>();
      expectTypeOf(total).toEqualTypeOf<number>();
    });
    expectTypeOf(socket.emitWithAck("sum", 1, 2)).toEqualTypeOf<Promise<number>>();
    // @ts-expect-error the ack callback is not passed to emitWithAck
    void socket.emitWithAck("sum", 1, 2, () => undefined);
  });

  it("accepts anything on an untyped socket", () => {
    const socket = io();
    socket.emit("whatever", 1, { a: 2 }, (reply: unknown) => reply);
    socket.on("anything", (...args: unknown[]) => args);
    expectTypeOf(socket.id).toEqualTypeOf<string | undefined>();
    expectTypeOf(socket.connected).toEqualTypeOf<boolean>();
    expectTypeOf(socket.active).toEqualTypeOf<boolean>();
    expectTypeOf(socket.recovered).toEqualTypeOf<boolean>();
  });

  it("exposes io, connect, Manager and Socket as the official client does", () => {
    expectTypeOf(connect).toEqualTypeOf(io);
    expectTypeOf(io.connect).toEqualTypeOf(io.io);
    expectTypeOf(io.protocol).toExtend<number>();
    const manager = new Manager("http://localhost:3000", { autoConnect: false, reconnectionDelayMax: 10_000 });
    expectTypeOf(manager.socket("/admin")).toEqualTypeOf<Socket>();
    expectTypeOf(manager.reconnection()).toEqualTypeOf<boolean>();
    expectTypeOf(manager.reconnection(false)).toEqualTypeOf<Manager>();
    // @ts-expect-error unknown option
    new Manager({ reconnectionDelays: 1 });
  });
});
