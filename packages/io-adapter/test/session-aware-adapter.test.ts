import { afterEach, describe, expect, it, vi } from "vitest";
import { SessionAwareAdapter, type AdapterPacket, type BroadcastOptions } from "@sockwave/io-adapter";
import { TestNamespace, TestServer } from "./support/namespace";

function setup(maxDisconnectionDuration = 60_000) {
  const nsp = new TestNamespace(new TestServer({ maxDisconnectionDuration }), SessionAwareAdapter);
  return { nsp, adapter: nsp.adapter as SessionAwareAdapter };
}

function event(...data: unknown[]): AdapterPacket & { data: unknown[] } {
  return { type: 2, data };
}

function to(rooms: string[], except: string[] = [], flags = {}): BroadcastOptions {
  return { rooms: new Set(rooms), except: new Set(except), flags };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("SessionAwareAdapter", () => {
  it("appends a distinct offset to each recoverable event, and only to those", () => {
    const { nsp, adapter } = setup();
    const socket = nsp.connect();
    const first = event("a");
    const second = event("b");
    adapter.broadcast(first, to([]));
    adapter.broadcast(second, to([]));
    const volatile = event("v");
    adapter.broadcast(volatile, to([], [], { volatile: true }));
    const withAck = { ...event("q"), id: 3 };
    adapter.broadcast(withAck, to([]));
    adapter.broadcast({ type: 1 }, to([])); // not an event

    expect(first.data).toHaveLength(2);
    expect(typeof first.data[1]).toBe("string");
    expect(second.data[1]).not.toBe(first.data[1]);
    expect(volatile.data).toEqual(["v"]);
    expect(withAck.data).toEqual(["q"]);
    expect(socket.client.texts[0]).toBe(`2${JSON.stringify(["a", first.data[1]])}`);
    expect(adapter.storedCounts.packets).toBe(2);
    adapter.close();
  });

  it("restores a session with the events it missed, filtered by its rooms", async () => {
    const { nsp, adapter } = setup();
    const seen = event("seen");
    adapter.broadcast(seen, to([]));
    const offset = seen.data[1] as string;
    adapter.persistSession({ sid: "old-sid", pid: "pid-1", rooms: ["old-sid", "news"], data: { user: 1 } });

    adapter.broadcast(event("to-all", 1), to([]));
    adapter.broadcast(event("to-news"), to(["news"]));
    adapter.broadcast(event("to-sports"), to(["sports"]));
    adapter.broadcast(event("not-to-news"), to([], ["news"]));
    adapter.broadcast(event("to-me"), to(["old-sid"]));
    nsp.connect(); // a live socket does not change what the session missed

    const session = await adapter.restoreSession("pid-1", offset);
    expect(session).not.toBeNull();
    expect(session!.sid).toBe("old-sid");
    expect(session!.rooms).toEqual(["old-sid", "news"]);
    expect(session!.data).toEqual({ user: 1 });
    expect(session!.missedPackets.map((data) => data.slice(0, -1))).toEqual([["to-all", 1], ["to-news"], ["to-me"]]);
    for (const data of session!.missedPackets) expect(typeof data[data.length - 1]).toBe("string");
    adapter.close();
  });

  it("restores a session once, and never for an unknown pid or offset", async () => {
    const { adapter } = setup();
    const packet = event("x");
    adapter.broadcast(packet, to([]));
    const offset = packet.data[1] as string;
    adapter.persistSession({ sid: "s1", pid: "p1", rooms: [], data: null });
    adapter.persistSession({ sid: "s2", pid: "p2", rooms: [], data: null });

    expect(await adapter.restoreSession("unknown", offset)).toBeNull();
    expect(await adapter.restoreSession("p2", "not-an-offset")).toBeNull();
    expect(await adapter.restoreSession("p1", offset)).toEqual({ sid: "s1", pid: "p1", rooms: [], data: null, missedPackets: [] });
    expect(await adapter.restoreSession("p1", offset)).toBeNull();
    adapter.close();
  });

  it("drops sessions and packets older than maxDisconnectionDuration", async () => {
    vi.useFakeTimers({ toFake: ["Date", "setInterval", "clearInterval"] });
    const { adapter } = setup(1000);
    const old = event("old");
    adapter.broadcast(old, to([]));
    adapter.persistSession({ sid: "s", pid: "stale", rooms: [], data: null });
    expect(adapter.storedCounts).toEqual({ sessions: 1, packets: 1 });

    vi.advanceTimersByTime(1500);
    // An expired session is refused even before the sweep runs.
    expect(await adapter.restoreSession("stale", old.data[1] as string)).toBeNull();

    adapter.persistSession({ sid: "s", pid: "later", rooms: [], data: null });
    adapter.broadcast(event("new"), to([])); // trims the expired head of the log
    expect(adapter.storedCounts).toEqual({ sessions: 1, packets: 1 });
    // The offset of an expired packet can no longer be resumed from.
    expect(await adapter.restoreSession("later", old.data[1] as string)).toBeNull();

    adapter.persistSession({ sid: "s", pid: "idle", rooms: [], data: null });
    vi.advanceTimersByTime(61_000); // the periodic sweep, with no broadcast at all
    expect(adapter.storedCounts).toEqual({ sessions: 0, packets: 0 });
    adapter.close();
  });

  it("keeps the log bounded under a steady flood of broadcasts", () => {
    vi.useFakeTimers({ toFake: ["Date", "setInterval", "clearInterval"] });
    const { adapter } = setup(100);
    for (let i = 0; i < 20_000; i++) {
      adapter.broadcast(event("tick", i), to([]));
      if (i % 10 === 9) vi.advanceTimersByTime(1); // 10 packets per ms, 100 ms retention
    }
    expect(adapter.storedCounts.packets).toBeLessThanOrEqual(1010);
    adapter.close();
  });
});
