// The published CommonJS entry is the io function itself, as socket.io-client's is (needs the build).
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);

describe("CommonJS entry", () => {
  it("is the io function with io, connect, Manager, Socket and protocol attached", () => {
    const io = require("@sockwave/io-client") as ((...args: unknown[]) => unknown) & Record<string, unknown>;
    expect(typeof io).toBe("function");
    expect(io.io).toBe(io);
    expect(io.connect).toBe(io);
    expect(io.protocol).toBe(5);
    expect(typeof io.Manager).toBe("function");
    expect(typeof io.Socket).toBe("function");
    const socket = (io as (uri: string, opts: object) => { connected: boolean; io: { opts: { path: string } } })(
      "http://127.0.0.1:1/chat",
      { autoConnect: false },
    );
    expect(socket.connected).toBe(false);
    expect(socket.io.opts.path).toBe("/socket.io");
  });
});
