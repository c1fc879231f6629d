import { Buffer } from "node:buffer";
import { describe, expect, it } from "vitest";
import { decodePayload, encodePayload, encodePayloadSync, type Packet } from "@sockwave/engine-parser";

function encode(packets: Packet[]): string {
  let result: string | undefined;
  encodePayload(packets, (payload) => (result = payload));
  if (result === undefined) throw new Error("encodePayload did not call back synchronously");
  return result;
}

describe("protocol 4 payloads", () => {
  it("joins packets with the record separator and binary as base64", () => {
    const packets: Packet[] = [
      { type: "message", data: "hello" },
      { type: "message", data: Buffer.from([1, 2, 3, 4]) },
      { type: "ping" },
      { type: "noop" },
    ];
    expect(encode(packets)).toBe("4hello\x1ebAQIDBA==\x1e2\x1e6");
    expect(encodePayloadSync(packets)).toBe("4hello\x1ebAQIDBA==\x1e2\x1e6");
    expect(decodePayload("4hello\x1ebAQIDBA==\x1e2\x1e6")).toEqual(packets);
  });

  it("encodes one packet without separator and no packets as an empty body", () => {
    expect(encode([{ type: "close" }])).toBe("1");
    expect(encode([])).toBe("");
  });

  it("decodes binary in the requested form", () => {
    const [packet] = decodePayload("bAQIDBA==", "arraybuffer");
    expect(packet!.data).toBeInstanceOf(ArrayBuffer);
  });

  it("stops at the first packet it cannot read, and reports it", () => {
    expect(decodePayload("4a\x1e9bad\x1e4b")).toEqual([
      { type: "message", data: "a" },
      { type: "error", data: "parser error" },
    ]);
    expect(decodePayload("")).toEqual([{ type: "error", data: "parser error" }]);
    expect(decodePayload("4a\x1e")).toEqual([
      { type: "message", data: "a" },
      { type: "error", data: "parser error" },
    ]);
  });

  it("waits for Blobs and keeps the packet order", async () => {
    const payload = await new Promise<string>((resolve) =>
      encodePayload(
        [
          { type: "message", data: new Blob([new Uint8Array([1, 2, 3, 4])]) },
          { type: "message", data: "after" },
        ],
        resolve,
      ),
    );
    expect(payload).toBe("bAQIDBA==\x1e4after");
  });
});
