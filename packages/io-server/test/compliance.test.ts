import { once } from "node:events";
import { nextEvent } from "./events";
import { afterEach, describe, expect, test } from "vitest";
import type { Server, Socket } from "@sockwave/io-server";
import { RawPollingClient, startServer } from "./raw-polling";

// The Socket.IO protocol 5 as an official client speaks it, checked packet by packet over raw polling.

let io: Server | undefined;
afterEach(async () => {
  await io?.close();
  io = undefined;
});

async function setup(opts = {}) {
  const started = await startServer(opts);
  io = started.io;
  return started;
}

function sidOf(reply: string, prefix = "40"): string {
  expect(reply.startsWith(prefix)).toBe(true);
  return (JSON.parse(reply.slice(prefix.length)) as { sid: string }).sid;
}

describe("connect", () => {
  test("to the main namespace without auth", async () => {
    const { port, io } = await setup();
    const connection = once(io, "connection") as Promise<[Socket]>;
    const client = await RawPollingClient.open(port);
    const reply = await client.connect();
    const [socket] = await connection;
    const sid = sidOf(reply);
    expect(sid).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(sid).toBe(socket.id);
    expect(sid).not.toBe(client.sid);
    expect(socket.handshake.auth).toEqual({});
    expect(socket.handshake.query.EIO).toBe("4");
    expect(socket.rooms).toEqual(new Set([sid]));
  });

  test("with an auth payload", async () => {
    const { port, io } = await setup();
    const connection = once(io, "connection") as Promise<[Socket]>;
    const client = await RawPollingClient.open(port);
    sidOf(await client.connect("/", { token: "123" }));
    const [socket] = await connection;
    expect(socket.handshake.auth).toEqual({ token: "123" });
  });

  test("to a custom namespace", async () => {
    const { port, io } = await setup();
    const connection = once(io.of("/custom"), "connection") as Promise<[Socket]>;
    const client = await RawPollingClient.open(port);
    const reply = await client.connect("/custom");
    const [socket] = await connection;
    expect(sidOf(reply, "40/custom,")).toBe(socket.id);
    expect(socket.nsp.name).toBe("/custom");
  });

  test("to an unknown namespace gets exactly 'Invalid namespace'", async () => {
    const { port } = await setup();
    const client = await RawPollingClient.open(port);
    expect(await client.connect("/random")).toBe('44/random,{"message":"Invalid namespace"}');
  });

  test("a flood of CONNECT packets in one request is answered packet by packet, creating nothing", async () => {
    const { port, io } = await setup();
    const client = await RawPollingClient.open(port);
    const packets = Array.from({ length: 2000 }, (_, i) => `40/flood-${i},`);
    expect((await client.send(...packets)).status).toBe(200);
    const replies: string[] = [];
    while (replies.length < 2000) replies.push(...(await client.receive()));
    expect(replies[0]).toBe('44/flood-0,{"message":"Invalid namespace"}');
    expect(replies.every((r) => r.startsWith("44/flood-"))).toBe(true);
    expect(io._nsps.size).toBe(1);
    expect(await client.connect()).toMatch(/^40\{"sid":"/);
  });

  test("a CONNECT flood whose replies outgrow the outbound limit closes the connection", async () => {
    const { port, io } = await setup({ maxOutboundPackets: 100 });
    const client = await RawPollingClient.open(port);
    await client.send(...Array.from({ length: 500 }, (_, i) => `40/flood-${i},`));
    expect(await client.waitForClose()).toMatch(/^1$|Session ID unknown/);
    expect(io.engine.clientsCount).toBe(0);
  });

  test("refused by a middleware gets the error message and data", async () => {
    const { port, io } = await setup();
    io.use((_socket, next) => next(Object.assign(new Error("not authorized"), { data: { code: 42 } })));
    const client = await RawPollingClient.open(port);
    expect(await client.connect()).toBe('44{"message":"not authorized","data":{"code":42}}');
  });

  test("no CONNECT within connectTimeout closes the connection", async () => {
    const { port } = await setup({ connectTimeout: 50 });
    const client = await RawPollingClient.open(port);
    expect(await client.waitForClose()).toMatch(/^1$|Session ID unknown/);
  });
});

describe("events and acknowledgements", () => {
  async function connected(port: number, io: Server): Promise<{ client: RawPollingClient; socket: Socket }> {
    const connection = once(io, "connection") as Promise<[Socket]>;
    const client = await RawPollingClient.open(port);
    await client.connect();
    const [socket] = await connection;
    return { client, socket };
  }

  test("an event from the client reaches the listener with its arguments", async () => {
    const { port, io } = await setup();
    const { client, socket } = await connected(port, io);
    const received = nextEvent(socket, "hello");
    await client.send('42["hello",1,"2",{"3":[true]}]');
    expect(await received).toEqual([1, "2", { "3": [true] }]);
  });

  test("an event from the server is sent as 42[...]", async () => {
    const { port, io } = await setup();
    const { client, socket } = await connected(port, io);
    socket.emit("hi", 1, "two", { three: [3] });
    expect(await client.receive()).toEqual(['42["hi",1,"two",{"three":[3]}]']);
  });

  test("a custom namespace's packets carry its name", async () => {
    const { port, io } = await setup();
    const connection = once(io.of("/chat"), "connection") as Promise<[Socket]>;
    const client = await RawPollingClient.open(port);
    await client.connect("/chat");
    const [socket] = await connection;
    const received = nextEvent(socket, "msg");
    await client.send('42/chat,["msg","a"]');
    expect(await received).toEqual(["a"]);
    socket.emit("msg", "b");
    expect(await client.receive()).toEqual(['42/chat,["msg","b"]']);
  });

  test("the client asks for an acknowledgement (421[...] -> 431[...])", async () => {
    const { port, io } = await setup();
    const { client, socket } = await connected(port, io);
    socket.on("ask", (value: number, ack: (reply: number) => void) => ack(value * 2));
    await client.send('4213["ask",21]');
    expect(await client.receive()).toEqual(["4313[42]"]);
  });

  test("the server asks for an acknowledgement and gets the client's reply", async () => {
    const { port, io } = await setup();
    const { client, socket } = await connected(port, io);
    const reply = new Promise((resolve) => socket.emit("question", "q", (answer: unknown) => resolve(answer)));
    const [packet] = await client.receive();
    const match = /^42(\d+)\["question","q"\]$/.exec(packet!);
    expect(match).not.toBeNull();
    await client.send(`43${match![1]}["answer"]`);
    expect(await reply).toBe("answer");
  });

  test("emitWithAck with timeout rejects with 'operation has timed out'", async () => {
    const { port, io } = await setup();
    const { socket } = await connected(port, io);
    await expect(socket.timeout(10).emitWithAck("never-answered")).rejects.toThrow("operation has timed out");
  });

  test("binary event from the client: placeholders replaced by Buffers", async () => {
    const { port, io } = await setup();
    const { client, socket } = await connected(port, io);
    const received = nextEvent(socket, "bin");
    await client.send('451-["bin",{"_placeholder":true,"num":0}]', "bAQID");
    const [data] = await received;
    expect(Buffer.isBuffer(data)).toBe(true);
    expect([...(data as Buffer)]).toEqual([1, 2, 3]);
  });

  test("binary event from the server: one attachment after the text packet", async () => {
    const { port, io } = await setup();
    const { client, socket } = await connected(port, io);
    socket.emit("bin", Buffer.from([1, 2, 3]), "text");
    expect(await client.receive()).toEqual(['451-["bin",{"_placeholder":true,"num":0},"text"]', "bAQID"]);
  });

  test("binary acknowledgement in both directions", async () => {
    const { port, io } = await setup();
    const { client, socket } = await connected(port, io);
    socket.on("echo", (data: Buffer, ack: (data: Buffer) => void) => ack(data));
    await client.send('451-7["echo",{"_placeholder":true,"num":0}]', "bBAU=");
    expect(await client.receive()).toEqual(['461-7[{"_placeholder":true,"num":0}]', "bBAU="]);
  });

  test("one connection in two namespaces: packets reach the right socket; leaving one keeps the other", async () => {
    const { port, io } = await setup();
    const mainConnection = once(io, "connection") as Promise<[Socket]>;
    const chatConnection = once(io.of("/chat"), "connection") as Promise<[Socket]>;
    const client = await RawPollingClient.open(port);
    await client.connect("/");
    await client.connect("/chat");
    const [[main], [chat]] = await Promise.all([mainConnection, chatConnection]);
    expect(main.client).toBe(chat.client);
    const toChat = nextEvent(chat, "msg");
    await client.send('42/chat,["msg","c"]');
    expect(await toChat).toEqual(["c"]);
    const chatDisconnect = nextEvent(chat, "disconnect");
    await client.send("41/chat,");
    expect(await chatDisconnect).toEqual(["client namespace disconnect", undefined]);
    expect(main.connected).toBe(true);
    const toMain = nextEvent(main, "msg");
    await client.send('42["msg","m"]');
    expect(await toMain).toEqual(["m"]);
    main.emit("msg", "back");
    expect(await client.receive()).toEqual(['42["msg","back"]']);
  });

  test("a DISCONNECT packet disconnects the socket with 'client namespace disconnect'", async () => {
    const { port, io } = await setup();
    const { client, socket } = await connected(port, io);
    const disconnect = nextEvent(socket, "disconnect");
    await client.send("41");
    expect(await disconnect).toEqual(["client namespace disconnect", undefined]);
    expect(socket.connected).toBe(false);
  });

  test("socket.disconnect() sends a DISCONNECT packet", async () => {
    const { port, io } = await setup();
    const { client, socket } = await connected(port, io);
    const disconnect = nextEvent(socket, "disconnect");
    socket.disconnect();
    expect(await disconnect).toEqual(["server namespace disconnect", undefined]);
    expect(await client.receive()).toEqual(["41"]);
  });
});

describe("every invalid format closes the connection as a parse error", () => {
  const invalid: Array<[string, string[]]> = [
    ["unknown packet type", ["47"]],
    ["a CONNECT payload that is not an object", ['40"string"']],
    ["a CONNECT payload that is an array", ["40[1]"]],
    ["a DISCONNECT with a payload", ['41{"a":1}']],
    ["an EVENT that is not an array", ['42{"a":1}']],
    ["an EVENT without a name", ["42[]"]],
    ["an EVENT with a reserved name", ['42["disconnect"]']],
    ["an EVENT whose name is an object", ['42[{"a":1}]']],
    ["an ACK that is not an array", ['431"a"']],
    ["an ACK without id", ["43[1]"]],
    ["invalid JSON", ['42["a",']],
    ["negative attachments", ['45-1-["a"]']],
    ["too many attachments", ['4599999-["a"]']],
    ["a placeholder beyond the attachments", ['451-["a",{"_placeholder":true,"num":5}]', "bAQ=="]],
    ["text while binary attachments are awaited", ['451-["a",{"_placeholder":true,"num":0}]', '42["b"]']],
    ["an ack id that is not digits", ['42x["a"]']],
  ];

  for (const [name, packets] of invalid) {
    test(name, async () => {
      const { port, io } = await setup();
      const connection = once(io, "connection") as Promise<[Socket]>;
      const client = await RawPollingClient.open(port);
      await client.connect();
      const [socket] = await connection;
      const disconnect = nextEvent(socket, "disconnect");
      await client.send(...packets);
      // Over polling the engine completes the close with the next GET.
      expect(await client.waitForClose()).toMatch(/^1$|Session ID unknown/);
      const [reason] = await disconnect;
      // socket.io 4.8 reports a decoding failure as the engine closing the connection ("forced close").
      expect(reason).toBe("forced close");
    });
  }
});
