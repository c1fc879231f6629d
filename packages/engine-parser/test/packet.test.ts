import { Buffer } from "node:buffer";
import { describe, expect, it } from "vitest";
import {
  decodePacket,
  encodePacket,
  encodePacketSync,
  encodePacketToBytes,
  encodeTextPacket,
  protocol,
  type Packet,
  type PacketType,
  type RawData,
} from "@sockwave/engine-parser";

function encode(packet: Packet, supportsBinary: boolean): RawData {
  let result: RawData | undefined;
  encodePacket(packet, supportsBinary, (encoded) => (result = encoded));
  if (result === undefined) throw new Error("encodePacket did not call back synchronously");
  return result;
}

const TYPES: Array<[PacketType, string]> = [
  ["open", "0"],
  ["close", "1"],
  ["ping", "2"],
  ["pong", "3"],
  ["message", "4"],
  ["upgrade", "5"],
  ["noop", "6"],
];

describe("protocol 4 packets", () => {
  it("speaks protocol 4", () => {
    expect(protocol).toBe(4);
  });

  it.each(TYPES)("encodes and decodes %s packets with and without data", (type, digit) => {
    expect(encode({ type }, true)).toBe(digit);
    expect(encode({ type, data: "" }, false)).toBe(digit);
    expect(encode({ type, data: "probe" }, true)).toBe(digit + "probe");
    expect(decodePacket(digit)).toEqual({ type });
    expect(decodePacket(digit + "probe")).toEqual({ type, data: "probe" });
    expect(encodeTextPacket(type, "probe")).toBe(digit + "probe");
    expect(encodeTextPacket(type)).toBe(digit);
  });

  it("keeps text data as it is, including non-ASCII and separators", () => {
    const text = 'héllo 🎉 \x1e "json"';
    expect(encode({ type: "message", data: text }, true)).toBe("4" + text);
    expect(decodePacket("4" + text)).toEqual({ type: "message", data: text });
  });

  it("passes binary through when the transport supports it", () => {
    const buffer = Buffer.from([1, 2, 3, 4]);
    expect(encode({ type: "message", data: buffer }, true)).toBe(buffer);
    const arrayBuffer = new Uint8Array([5, 6]).buffer;
    expect(encode({ type: "message", data: arrayBuffer }, true)).toBe(arrayBuffer);
  });

  it("sends binary as b + base64 when the transport does not support it", () => {
    expect(encode({ type: "message", data: Buffer.from([1, 2, 3, 4]) }, false)).toBe("bAQIDBA==");
    expect(encode({ type: "message", data: new Uint8Array([1, 2, 3, 4]).buffer }, false)).toBe("bAQIDBA==");
    // a view over part of a buffer encodes only its own bytes
    const view = new Uint8Array([9, 1, 2, 3, 4, 9]).subarray(1, 5);
    expect(encode({ type: "message", data: view }, false)).toBe("bAQIDBA==");
    const dataView = new DataView(new Uint8Array([9, 1, 2, 3, 4, 9]).buffer, 1, 4);
    expect(encodePacketSync({ type: "message", data: dataView }, false)).toBe("bAQIDBA==");
  });

  it("decodes binary to a Buffer by default and to an ArrayBuffer on request", () => {
    const fromBase64 = decodePacket("bAQIDBA==");
    expect(fromBase64.type).toBe("message");
    expect(Buffer.isBuffer(fromBase64.data)).toBe(true);
    expect([...(fromBase64.data as Buffer)]).toEqual([1, 2, 3, 4]);

    const asArrayBuffer = decodePacket("bAQIDBA==", "arraybuffer").data;
    expect(asArrayBuffer).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(asArrayBuffer as ArrayBuffer)]).toEqual([1, 2, 3, 4]);

    const frame = Buffer.from([7, 8, 9]);
    expect(decodePacket(frame)).toEqual({ type: "message", data: frame });
    expect(decodePacket(frame).data).toBe(frame);
    const region = decodePacket(new Uint8Array([0, 7, 8, 9, 0]).subarray(1, 4), "arraybuffer").data as ArrayBuffer;
    expect([...new Uint8Array(region)]).toEqual([7, 8, 9]);
    const fromArrayBuffer = decodePacket(new Uint8Array([7, 8]).buffer).data;
    expect(Buffer.isBuffer(fromArrayBuffer)).toBe(true);
  });

  it("returns the error packet for unknown types and empty input", () => {
    for (const bad of ["", "7", "9hello", "x", "error", "\x1e", "-1"]) {
      expect(decodePacket(bad)).toEqual({ type: "error", data: "parser error" });
    }
  });

  it("refuses to encode an error packet with a message saying what is allowed", () => {
    expect(() => encodePacketSync({ type: "error", data: "x" }, true)).toThrow(/cannot encode a packet of type "error"/);
    for (const name of ["constructor", "__proto__", "toString", "message "]) {
      expect(() => encodeTextPacket(name as PacketType, "x")).toThrow(TypeError);
    }
  });

  it("encodes Blob data: as it is with binary support, as base64 (asynchronously) without", async () => {
    const blob = new Blob([new Uint8Array([1, 2, 3, 4])]);
    expect(encode({ type: "message", data: blob }, true)).toBe(blob);
    const encoded = await new Promise<RawData>((resolve) => encodePacket({ type: "message", data: blob }, false, resolve));
    expect(encoded).toBe("bAQIDBA==");
    expect(() => encodePacketSync({ type: "message", data: blob }, false)).toThrow(TypeError);
  });

  it("gives the bytes of a packet: UTF-8 text, or the binary itself", () => {
    expect([...encodePacketToBytes({ type: "message", data: "é" })]).toEqual([0x34, 0xc3, 0xa9]);
    expect([...encodePacketToBytes({ type: "ping" })]).toEqual([0x32]);
    const buffer = Buffer.from([1, 2]);
    expect(encodePacketToBytes({ type: "message", data: buffer })).toBe(buffer);
    const view = new Uint16Array([0x0201]);
    expect([...encodePacketToBytes({ type: "message", data: view })]).toEqual([1, 2]);
    expect(() => encodePacketToBytes({ type: "message", data: new Blob(["x"]) })).toThrow(/Blob cannot be encoded synchronously/);
  });
});
