import { Buffer } from "node:buffer";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createPacketDecoderStream,
  createPacketEncoderStream,
  encodePacketToFrame,
  type Packet,
} from "@sockwave/engine-parser";
import { concatBytes, splitAt, throughStream } from "./streams";

const ERROR = { type: "error", data: "parser error" };

async function encodeAll(packets: Packet[]): Promise<Uint8Array> {
  return concatBytes(await throughStream(createPacketEncoderStream(), packets));
}

describe("WebTransport stream codecs", () => {
  it("frames text with its length and binary with the top bit set", async () => {
    expect([...(await encodeAll([{ type: "message", data: "hi" }]))]).toEqual([3, 0x34, 0x68, 0x69]);
    expect([...(await encodeAll([{ type: "ping" }]))]).toEqual([1, 0x32]);
    expect([...(await encodeAll([{ type: "message", data: Buffer.from([1, 2]) }]))]).toEqual([0x82, 1, 2]);
    expect([...(await encodeAll([{ type: "message", data: "é" }]))]).toEqual([3, 0x34, 0xc3, 0xa9]);
  });

  it.each([
    [125, [125]],
    [126, [126, 0, 126]],
    [65535, [126, 0xff, 0xff]],
    [65536, [127, 0, 0, 0, 0, 0, 1, 0, 0]],
  ])("uses the right header for %i payload bytes", async (size, header) => {
    const frame = await encodeAll([{ type: "message", data: Buffer.alloc(size, 1) }]);
    header[0]! |= 0x80;
    expect([...frame.subarray(0, header.length)]).toEqual(header);
    expect(frame.length).toBe(header.length + size);
    expect([...encodePacketToFrame({ type: "message", data: Buffer.alloc(size, 1) })]).toEqual([...frame]);
  });

  it("reads Blob data before framing it, keeping the order", async () => {
    const frames = await encodeAll([
      { type: "message", data: new Blob([new Uint8Array([7, 8])]) },
      { type: "message", data: "x" },
    ]);
    expect([...frames]).toEqual([0x82, 7, 8, 2, 0x34, 0x78]);
  });

  it("decodes frames however the bytes are chunked", async () => {
    const packets: Packet[] = [
      { type: "message", data: "hello" },
      { type: "message", data: Buffer.alloc(300, 3) },
      { type: "ping" },
      { type: "message", data: "x".repeat(70_000) },
    ];
    const bytes = await encodeAll(packets);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(bytes.length), { maxLength: 20 }), async (cuts) => {
        const decoded = await throughStream(createPacketDecoderStream(1e6, "nodebuffer"), splitAt(bytes, cuts));
        expect(decoded).toEqual(packets);
      }),
      { numRuns: 30 },
    );
    const oneByteAtATime = splitAt(bytes.subarray(0, 400), Array.from({ length: 400 }, (_, i) => i));
    const firstThree = await throughStream(createPacketDecoderStream(1e6, "nodebuffer"), oneByteAtATime);
    expect(firstThree).toEqual(packets.slice(0, 3)); // the fourth is incomplete
  });

  it("hands binary over as an ArrayBuffer of exactly the frame's bytes on request", async () => {
    const bytes = await encodeAll([{ type: "message", data: Buffer.from([1, 2, 3]) }, { type: "noop" }]);
    const [binary, noop] = await throughStream(createPacketDecoderStream(100, "arraybuffer"), [bytes]);
    expect(binary!.data).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(binary!.data as ArrayBuffer)]).toEqual([1, 2, 3]);
    expect(noop).toEqual({ type: "noop" });
  });

  it("reports an oversized frame once and ignores everything after it", async () => {
    const small = await encodeAll([{ type: "message", data: "ok" }]);
    const big = await encodeAll([{ type: "message", data: "x".repeat(200) }]);
    const decoded = await throughStream(createPacketDecoderStream(100, "nodebuffer"), [small, big, small, small]);
    expect(decoded).toEqual([{ type: "message", data: "ok" }, ERROR]);
  });

  it("reports zero-length frames and 64-bit lengths beyond maxPayload", async () => {
    expect(await throughStream(createPacketDecoderStream(100, "nodebuffer"), [new Uint8Array([0])])).toEqual([ERROR]);
    const huge = new Uint8Array([127, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    expect(await throughStream(createPacketDecoderStream(1e6, "nodebuffer"), [huge, new Uint8Array(1000)])).toEqual([ERROR]);
  });

  it("decodes text frames through the packet decoder (an unknown type is an error)", async () => {
    const frames = new Uint8Array([2, 0x39, 0x41, 2, 0x34, 0x41]);
    expect(await throughStream(createPacketDecoderStream(100, "nodebuffer"), [frames])).toEqual([
      ERROR,
      { type: "message", data: "A" },
    ]);
  });
});
