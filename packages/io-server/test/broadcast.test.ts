import { once } from "node:events";
import { PreparedMessage } from "@sockwave/engine-server";
import type { Server, Socket } from "@sockwave/io-server";
import { afterEach, describe, expect, test } from "vitest";
import { preparedMessagesFor } from "../src/prepared-messages";
import { RawPollingClient, startServer } from "./raw-polling";

describe("broadcasts are prepared once", () => {
  test("one array of encoded packets yields one set of prepared messages, shared", () => {
    const packets = ['451-["bin",{"_placeholder":true,"num":0}]', Buffer.from([1, 2])];
    const first = preparedMessagesFor(packets);
    expect(first).toHaveLength(2);
    expect(first.every((message) => message instanceof PreparedMessage)).toBe(true);
    const other = preparedMessagesFor(['42["x"]']);
    expect(preparedMessagesFor(packets)).toBe(first);
    expect(preparedMessagesFor(packets)).toBe(first);
    expect(other).not.toBe(first);
    expect(preparedMessagesFor([...packets])).not.toBe(first);
  });

  let io: Server | undefined;
  afterEach(async () => {
    await io?.close();
    io = undefined;
  });

  test("every member of a room receives the same bytes; others receive nothing", async () => {
    const started = await startServer();
    io = started.io;
    const clients: RawPollingClient[] = [];
    const sockets: Socket[] = [];
    for (let i = 0; i < 3; i++) {
      const connection = once(io, "connection") as Promise<[Socket]>;
      const client = await RawPollingClient.open(started.port);
      await client.connect();
      clients.push(client);
      sockets.push((await connection)[0]);
    }
    await sockets[0]!.join("room");
    await sockets[1]!.join("room");
    io.to("room").emit("news", Buffer.from([7]), "text");
    io.emit("everyone");
    const expected = ['451-["news",{"_placeholder":true,"num":0},"text"]', "bBw==", '42["everyone"]'];
    expect(await clients[0]!.receive()).toEqual(expected);
    expect(await clients[1]!.receive()).toEqual(expected);
    expect(await clients[2]!.receive()).toEqual(['42["everyone"]']);
  });
});
