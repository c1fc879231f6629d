import { describe, expect, it } from "vitest";
import { Adapter, type AdapterPacket, type BroadcastOptions } from "@sockwave/io-adapter";
import { TestNamespace, TestServer } from "./support/namespace";

function setup() {
  const nsp = new TestNamespace(new TestServer(), Adapter);
  return { nsp, adapter: nsp.adapter, encoder: nsp.server.encoder };
}

function event(...data: unknown[]): AdapterPacket {
  return { type: 2, data };
}

function to(rooms: string[], except: string[] = [], flags = {}): BroadcastOptions {
  return { rooms: new Set(rooms), except: new Set(except), flags };
}

describe("room table", () => {
  it("keeps rooms and sids in step and emits create/join/leave/delete events in order", () => {
    const { adapter } = setup();
    const events: string[] = [];
    adapter.on("create-room", (room) => events.push(`create ${room}`));
    adapter.on("join-room", (room, id) => events.push(`join ${room} ${id}`));
    adapter.on("leave-room", (room, id) => events.push(`leave ${room} ${id}`));
    adapter.on("delete-room", (room) => events.push(`delete ${room}`));

    adapter.addAll("a", new Set(["a", "r"]));
    adapter.addAll("b", new Set(["b", "r"]));
    adapter.addAll("b", new Set(["r"])); // already a member: no event
    expect(adapter.rooms.get("r")).toEqual(new Set(["a", "b"]));
    expect(adapter.sids.get("b")).toEqual(new Set(["b", "r"]));

    adapter.del("a", "r");
    adapter.del("a", "nowhere"); // unknown room: nothing happens
    adapter.delAll("b");
    adapter.delAll("unknown");
    expect(adapter.rooms.has("r")).toBe(false);
    expect(adapter.sids.has("b")).toBe(false);
    expect([...adapter.sids.keys()]).toEqual(["a"]);
    expect(events).toEqual([
      "create a",
      "join a a",
      "create r",
      "join r a",
      "create b",
      "join b b",
      "join r b",
      "leave r a",
      "leave b b",
      "delete b",
      "leave r b",
      "delete r",
    ]);
  });

  it("answers socketRooms and sockets()", async () => {
    const { nsp, adapter } = setup();
    const a = nsp.connect(["x", "y"]);
    const b = nsp.connect(["y"]);
    expect(adapter.socketRooms(a.id)).toEqual(new Set([a.id, "x", "y"]));
    expect(adapter.socketRooms("nobody")).toBeUndefined();
    expect(await adapter.sockets(new Set(["y"]))).toEqual(new Set([a.id, b.id]));
    expect(await adapter.sockets(new Set())).toEqual(new Set([a.id, b.id]));
    expect(await adapter.sockets(new Set(["missing"]))).toEqual(new Set());
    expect(await adapter.serverCount()).toBe(1);
  });
});

describe("broadcast", () => {
  it("encodes once and hands the same array and options object to every recipient", () => {
    const { nsp, adapter, encoder } = setup();
    const sockets = [nsp.connect(), nsp.connect(), nsp.connect()];
    const packet = event("hello", 1);
    adapter.broadcast(packet, to([], [], { compress: true }));

    expect(encoder.calls).toBe(1);
    expect(packet.nsp).toBe("/");
    const [first] = sockets.map((socket) => socket.client.writes[0]!);
    for (const socket of sockets) {
      expect(socket.client.writes).toHaveLength(1);
      expect(socket.client.writes[0]!.packets).toBe(first!.packets);
      expect(socket.client.writes[0]!.opts).toBe(first!.opts);
      expect(socket.outgoing).toEqual([packet]);
    }
    expect(first!.packets).toEqual(['2["hello",1]']);
    expect(first!.opts).toEqual({ preEncoded: true, volatile: undefined, compress: true });
  });

  it("encodes nothing when no socket matches", () => {
    const { nsp, adapter, encoder } = setup();
    nsp.connect(["a"]);
    adapter.broadcast(event("x"), to(["empty-room"]));
    adapter.broadcast(event("x"), to(["a"], ["a"]));
    expect(encoder.calls).toBe(0);
  });

  it("reaches members of any listed room once, minus members of except rooms", () => {
    const { nsp, adapter } = setup();
    const inBoth = nsp.connect(["r1", "r2"]);
    const inR1 = nsp.connect(["r1"]);
    const inR2Excluded = nsp.connect(["r2", "muted"]);
    const outside = nsp.connect();

    adapter.broadcast(event("multi"), to(["r1", "r2"]));
    adapter.broadcast(event("single"), to(["r2"], ["muted"]));
    adapter.broadcast(event("all-but"), to([], ["r1"]));

    expect(inBoth.client.texts).toEqual(['2["multi"]', '2["single"]']);
    expect(inR1.client.texts).toEqual(['2["multi"]']);
    expect(inR2Excluded.client.texts).toEqual(['2["multi"]', '2["all-but"]']);
    expect(outside.client.texts).toEqual(['2["all-but"]']);
  });

  it("visits each member of three overlapping rooms once, whatever the overlap", () => {
    const { nsp, adapter } = setup();
    const in13 = nsp.connect(["r1", "r3"]);
    const in23 = nsp.connect(["r2", "r3"]);
    const in123 = nsp.connect(["r1", "r2", "r3"]);
    const in3 = nsp.connect(["r3"]);
    const excludedIn1 = nsp.connect(["r1", "r3", "x"]);
    const found = [];
    adapter.broadcast(event("three"), to(["r1", "r2", "r3"], ["x"]));
    for (const socket of [in13, in23, in123, in3]) found.push(socket.client.texts);
    expect(found).toEqual([['2["three"]'], ['2["three"]'], ['2["three"]'], ['2["three"]']]);
    expect(excludedIn1.client.writes).toHaveLength(0);
  });

  it("targets one socket through its own room and carries the namespace and volatile flag", () => {
    const nsp = new TestNamespace(new TestServer(), Adapter, "/admin");
    const a = nsp.connect();
    const b = nsp.connect();
    nsp.adapter.broadcast(event("direct"), to([b.id], [], { volatile: true }));
    expect(a.client.writes).toHaveLength(0);
    expect(b.client.texts).toEqual(['2/admin,["direct"]']);
    expect(b.client.writes[0]!.opts.volatile).toBe(true);
  });

  it("skips ids that are in a room but no longer in the namespace", () => {
    const { nsp, adapter } = setup();
    const gone = nsp.connect(["r"]);
    const here = nsp.connect(["r"]);
    nsp.sockets.delete(gone.id);
    adapter.broadcast(event("x"), to(["r"]));
    expect(gone.client.writes).toHaveLength(0);
    expect(here.client.writes).toHaveLength(1);
  });
});

describe("broadcastWithAck", () => {
  it("uses one ack id from the namespace counter, registers it on each recipient and counts them", () => {
    const { nsp, adapter, encoder } = setup();
    nsp._ids = 7;
    const a = nsp.connect(["r"]);
    const b = nsp.connect(["r"]);
    nsp.connect();
    const answers: unknown[] = [];
    let count = -1;
    adapter.broadcastWithAck(event("q"), to(["r"]), (n) => (count = n), (arg) => answers.push(arg));

    expect(count).toBe(2);
    expect(nsp._ids).toBe(8);
    expect(encoder.calls).toBe(1);
    expect(a.client.texts).toEqual(['27["q"]']);
    expect(b.client.writes[0]!.packets).toBe(a.client.writes[0]!.packets);
    a.answer(7, "from a");
    b.answer(7, "from b");
    expect(answers).toEqual(["from a", "from b"]);
  });

  it("reports zero recipients without encoding", () => {
    const { adapter, encoder } = setup();
    let count = -1;
    adapter.broadcastWithAck(event("q"), to(["nobody"]), (n) => (count = n), () => undefined);
    expect(count).toBe(0);
    expect(encoder.calls).toBe(0);
  });
});

describe("operations on matching sockets", () => {
  it("fetchSockets returns the local socket objects", async () => {
    const { nsp, adapter } = setup();
    const a = nsp.connect(["r"]);
    nsp.connect();
    expect(await adapter.fetchSockets(to(["r"]))).toEqual([a]);
    expect(await adapter.fetchSockets(to([]))).toHaveLength(2);
  });

  it("addSockets and delSockets change membership of exactly the matching sockets", () => {
    const { nsp, adapter } = setup();
    const a = nsp.connect(["r"]);
    const b = nsp.connect(["r", "vip"]);
    const c = nsp.connect();
    adapter.addSockets(to(["r"], ["vip"]), ["x", "y"]);
    expect(a.rooms).toEqual(new Set([a.id, "r", "x", "y"]));
    expect(b.rooms.has("x")).toBe(false);
    expect(c.rooms.has("x")).toBe(false);

    // joining a room that is also being iterated must not loop or skip anyone
    adapter.addSockets(to(["r", "x"]), ["x"]);
    expect(adapter.rooms.get("x")).toEqual(new Set([a.id, b.id]));

    adapter.delSockets(to(["x"]), ["x", "y", "r"]);
    expect(adapter.rooms.has("x")).toBe(false);
    expect(adapter.rooms.has("r")).toBe(false);
    expect(a.rooms).toEqual(new Set([a.id]));
    expect(b.rooms).toEqual(new Set([b.id, "vip"]));
  });

  it("disconnectSockets disconnects every match even as they leave the room being iterated", () => {
    const { nsp, adapter } = setup();
    const sockets = [nsp.connect(["r"]), nsp.connect(["r"]), nsp.connect(["r"])];
    const other = nsp.connect();
    adapter.disconnectSockets(to(["r"]), true);
    for (const socket of sockets) expect(socket.disconnectedWith).toBe(true);
    expect(other.disconnectedWith).toBeUndefined();
    expect(adapter.rooms.has("r")).toBe(false);
    expect([...nsp.sockets.keys()]).toEqual([other.id]);
  });
});

describe("single-node defaults", () => {
  it("answers a serverSideEmit ack with no error and no responses, and restores no session", async () => {
    const { adapter } = setup();
    const responses = await new Promise<unknown[]>((resolve, reject) => {
      adapter.serverSideEmit(["ping", (err: Error | null, res: unknown[]) => (err ? reject(err) : resolve(res))]);
    });
    expect(responses).toEqual([]);
    adapter.serverSideEmit(["no-ack", 1]); // nothing to do, nothing thrown
    adapter.persistSession({ sid: "s", pid: "p", rooms: [], data: null });
    expect(await adapter.restoreSession("p", "0")).toBeNull();
  });
});
