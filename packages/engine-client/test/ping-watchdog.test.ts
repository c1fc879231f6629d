// The ping watchdog trusts the wall clock: a timer that fires early must not close a healthy connection, and a
// timer that is throttled (never fires in time) must not keep a dead connection open for io-client's sends.
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { Socket } from "@sockwave/engine-client";

const PING_INTERVAL = 50;
const PING_TIMEOUT = 250;
const WATCHDOG_DELAY = PING_INTERVAL + PING_TIMEOUT;
const HANDSHAKE = `0${JSON.stringify({ sid: "BBBBBBBBBBBBBBBBBBBB", upgrades: [], pingInterval: PING_INTERVAL, pingTimeout: PING_TIMEOUT, maxPayload: 1e6 })}`;

const realSetTimeout = globalThis.setTimeout;
let server: HttpServer | undefined;
let client: Socket | undefined;

/**
 * Replaces setTimeout while the socket is created (the socket captures it then): the watchdog's timer, known
 * by its delay, is scheduled through `schedule`; every other timer is left alone.
 */
function withWatchdogTimer(schedule: (callback: () => void, delay: number) => ReturnType<typeof setTimeout>, create: () => Socket): Socket {
  const patched = ((callback: () => void, delay?: number) =>
    delay !== undefined && delay > 0 && delay <= WATCHDOG_DELAY ? schedule(callback, delay) : realSetTimeout(callback, delay)) as typeof setTimeout;
  globalThis.setTimeout = patched;
  try {
    return create();
  } finally {
    globalThis.setTimeout = realSetTimeout;
  }
}

/** A polling server: the handshake, then a GET answered `body` after `delay` ms, then held GETs. */
async function startServer(secondPoll: { body: string; delay: number }): Promise<number> {
  let gets = 0;
  server = createServer((req, res) => {
    req.resume();
    if (req.method === "POST") return void res.end("ok");
    gets++;
    if (gets === 1) res.end(HANDSHAKE);
    else if (gets === 2) realSetTimeout(() => res.end(secondPoll.body), secondPoll.delay);
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

afterEach(async () => {
  client?.close();
  client = undefined;
  if (server) {
    server.closeAllConnections();
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
  }
});

describe("the ping watchdog", () => {
  it("re-arms instead of closing when its timer fires before the deadline", async () => {
    // The server pings well within pingInterval + pingTimeout.
    const port = await startServer({ body: "2", delay: 10 });
    let earlyFirings = 0;
    client = withWatchdogTimer(
      (callback) => {
        earlyFirings++;
        return realSetTimeout(callback, 1);
      },
      () => new Socket(`http://127.0.0.1:${port}`, { transports: ["polling"] }),
    );
    const events: string[] = [];
    client.on("close", (reason) => events.push(`close:${reason}`));
    await new Promise<void>((resolve) => client!.once("ping", () => resolve()));
    events.push("ping");
    expect(earlyFirings).toBeGreaterThan(1);
    expect(events).toEqual(["ping"]);
    expect(client.readyState).toBe("open");
  });

  it("reports an expired ping deadline by the wall clock when the timer is throttled, then closes", async () => {
    // The second GET is answered only after the deadline has passed; its content does not matter.
    const port = await startServer({ body: "6", delay: WATCHDOG_DELAY + 50 });
    client = withWatchdogTimer(
      // throttled: the watchdog timer never fires
      () => realSetTimeout(() => {}, 0),
      () => new Socket(`http://127.0.0.1:${port}`, { transports: ["polling"] }),
    );
    await new Promise<void>((resolve) => client!.once("open", () => resolve()));
    expect(client._hasPingExpired()).toBe(false);
    await new Promise<void>((resolve) => client!.once("packet", () => resolve()));
    const closed = new Promise<string>((resolve) => client!.once("close", (reason) => resolve(reason)));
    expect(client._hasPingExpired()).toBe(true);
    expect(await closed).toBe("ping timeout");
  });
});

describe("a socket without usable transports", () => {
  it("emits 'No transports available' and buffers writes without throwing", async () => {
    const socket = new Socket({ transports: ["webtransport"] });
    const error = new Promise((resolve) => socket.once("error", resolve));
    expect(() => socket.send("queued")).not.toThrow();
    expect(await error).toBe("No transports available");
    expect(socket.writeBuffer).toHaveLength(1);
  });
});
