import {
  SEPARATOR,
  digitOf,
  errorPacket,
  isBinary,
  isBlob,
  isBufferSource,
  packetTypeOfCharCode,
  type BinaryType,
  type Packet,
  type RawData,
} from "./commons";
import type { BinaryPlatform } from "./platform";

const BASE64_MARKER = 98; // "b"

/**
 * The protocol 4 packet and payload codec (engine.io-parser 5's API plus Sockwave's synchronous
 * helpers). The WebTransport streams (stream.ts) are built on it in each entry point, apart, so that
 * bundlers drop them when unused.
 */
export interface PacketCodec {
  /**
   * Encodes one packet for a transport. Binary data is passed through as it is when the transport
   * `supportsBinary`, else sent as "b" + base64; text is the type digit followed by the data.
   */
  encodePacket(packet: Packet, supportsBinary: boolean, callback: (encodedPacket: RawData) => void): void;
  /** Decodes one packet; unreadable input gives `{ type: "error", data: "parser error" }`. */
  decodePacket(encodedPacket: RawData, binaryType?: BinaryType): Packet;
  /** Encodes packets into one polling body: each packet as text (binary in base64), joined by "\x1e". */
  encodePayload(packets: Packet[], callback: (encodedPayload: string) => void): void;
  /** Decodes a polling body; decoding stops after the first error packet, which is included. */
  decodePayload(encodedPayload: string, binaryType?: BinaryType): Packet[];
  /** Sockwave addition: `encodePacket` without the callback. Throws a TypeError for Blob data. */
  encodePacketSync(packet: Packet, supportsBinary: boolean): string | ArrayBuffer | ArrayBufferView;
  /** Sockwave addition: `encodePayload` without the callback. Throws a TypeError for Blob data. */
  encodePayloadSync(packets: Packet[]): string;
  /** Sockwave addition: the bytes of a packet (UTF-8 text, or the binary data as it is; a Buffer in Node). */
  encodePacketToBytes(packet: Packet): Uint8Array;
}

function blobError(): TypeError {
  return new TypeError(
    "engine-parser: a Blob cannot be encoded synchronously; use encodePacket/encodePayload, which accept Blobs",
  );
}

export function createPacketCodec(platform: BinaryPlatform): PacketCodec {
  /** The text form of a packet whose data is not binary. */
  function encodeText(packet: Packet): string {
    const digit = digitOf(packet.type);
    // like the official parser: absent or empty data adds nothing
    return packet.data ? digit + (packet.data as string) : digit;
  }

  function encodePacketSync(packet: Packet, supportsBinary: boolean): string | ArrayBuffer | ArrayBufferView {
    const data = packet.data;
    if (isBufferSource(data)) return supportsBinary ? data : "b" + platform.toBase64(data);
    if (isBlob(data)) throw blobError();
    return encodeText(packet);
  }

  function encodePacket(packet: Packet, supportsBinary: boolean, callback: (encodedPacket: RawData) => void): void {
    const data = packet.data;
    if (isBlob(data)) {
      if (supportsBinary) return callback(data);
      void data.arrayBuffer().then((buffer) => callback("b" + platform.toBase64(buffer)));
      return;
    }
    callback(encodePacketSync(packet, supportsBinary));
  }

  function decodePacket(encodedPacket: RawData, binaryType?: BinaryType): Packet {
    if (typeof encodedPacket !== "string") {
      // untyped callers may hand over anything: only real binary is a message
      if (!isBinary(encodedPacket)) return errorPacket();
      return { type: "message", data: platform.mapBinary(encodedPacket, binaryType) };
    }
    const first = encodedPacket.charCodeAt(0);
    if (first === BASE64_MARKER) {
      const bytes = platform.fromBase64(encodedPacket.substring(1));
      return { type: "message", data: platform.mapBinary(bytes, binaryType) };
    }
    const type = packetTypeOfCharCode(first);
    if (type === undefined) return errorPacket();
    return encodedPacket.length > 1 ? { type, data: encodedPacket.substring(1) } : { type };
  }

  function encodePayloadSync(packets: Packet[]): string {
    let payload = "";
    for (let i = 0; i < packets.length; i++) {
      if (i > 0) payload += SEPARATOR;
      payload += encodePacketSync(packets[i]!, false) as string;
    }
    return payload;
  }

  function encodePayload(packets: Packet[], callback: (encodedPayload: string) => void): void {
    if (!packets.some((packet) => isBlob(packet.data))) return callback(encodePayloadSync(packets));
    // Blobs are read asynchronously; keep the order and the count the call started with
    const count = packets.length;
    const encoded = new Array<string>(count);
    let pending = count;
    for (let i = 0; i < count; i++) {
      encodePacket(packets[i]!, false, (encodedPacket) => {
        encoded[i] = encodedPacket as string;
        if (--pending === 0) callback(encoded.join(SEPARATOR));
      });
    }
  }

  function decodePayload(encodedPayload: string, binaryType?: BinaryType): Packet[] {
    if (typeof encodedPayload !== "string") return [errorPacket()];
    const packets: Packet[] = [];
    let start = 0;
    while (true) {
      const end = encodedPayload.indexOf(SEPARATOR, start);
      const packet = decodePacket(encodedPayload.substring(start, end === -1 ? encodedPayload.length : end), binaryType);
      packets.push(packet);
      // like the official parser: nothing after a packet it cannot read is trusted
      if (packet.type === "error" || end === -1) return packets;
      start = end + 1;
    }
  }

  function encodePacketToBytes(packet: Packet): Uint8Array {
    const data = packet.data;
    if (isBufferSource(data)) return platform.toBytes(data);
    if (isBlob(data)) throw blobError();
    return platform.encodeUtf8(encodeText(packet));
  }

  return {
    encodePacket,
    decodePacket,
    encodePayload,
    decodePayload,
    encodePacketSync,
    encodePayloadSync,
    encodePacketToBytes,
  };
}
