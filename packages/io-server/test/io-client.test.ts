import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { io as connect, type Socket as ClientSocket } from "@sockwave/io-client";
import type { Server, Socket } from "@sockwave/io-server";
import { afterEach, describe, expect, test } from "vitest";
import { startServer } from "./raw-polling";

// End to end with Sockwave's own client, over each transport setup.

const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});

for (const transports of [["polling"], ["websocket"], ["polling", "websocket"]] as const) {
  describe(`@sockwave/io-client over ${transports.join(" then ")}`, () => {
    async function pair(): Promise<{ io: Server; client: ClientSocket; socket: Socket }> {
      const { io, http } = await startServer();
      open.push(io);
      const connection = once(io, "connection") as Promise<[Socket]>;
      const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
      const client = connect(url, { transports: [...transports], forceNew: true, reconnection: false });
      open.push(client);
      const [socket] = await connection;
      return { io, client, socket };
    }

    test("events, binary and acknowledgements both ways", async () => {
      const { client, socket } = await pair();
      socket.on("echo", (value: unknown, ack: (v: unknown) => void) => ack(value));
      const echoed = (await client.emitWithAck("echo", { n: 1, bin: Buffer.from([1, 2]) })) as { n: number; bin: Buffer };
      expect(echoed.n).toBe(1);
      expect([...new Uint8Array(echoed.bin)]).toEqual([1, 2]);
      client.on("question", (q: string, ack: (a: string) => void) => ack(q.toUpperCase()));
      expect(await socket.timeout(5000).emitWithAck("question", "ok")).toBe("OK");
    });

    test("a server-side disconnect reaches the client as 'io server disconnect'", async () => {
      const { client, socket } = await pair();
      if (!client.connected) await new Promise((resolve) => client.once("connect", () => resolve(undefined)));
      const reason = new Promise((resolve) => client.once("disconnect", (r: string) => resolve(r)));
      socket.disconnect();
      expect(await reason).toBe("io server disconnect");
    });
  });
}
