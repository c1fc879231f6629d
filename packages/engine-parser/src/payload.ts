// Protocol 4 polling payloads: every packet as text (binary as "b" + base64), joined by "\x1e".
import { SEPARATOR, errorPacket, isBlob, type BinaryType, type Packet, type RawData } from "./commons";
import { decodePacket, encodePacket, encodePacketSync } from "./packet";

/** Sockwave addition: `encodePayload` without the callback. Throws a TypeError for Blob data. */
export function encodePayloadSync(packets: Packet[]): string {
  let payload = "";
  for (let i = 0; i < packets.length; i++) {
    if (i > 0) payload += SEPARATOR;
    payload += encodePacketSync(packets[i]!, false) as string;
  }
  return payload;
}

/** Encodes packets into one polling body; synchronous unless a Blob has to be read first. */
export function encodePayload(packets: Packet[], callback: (encodedPayload: string) => void): void {
  if (!packets.some((packet) => isBlob(packet.data))) return callback(encodePayloadSync(packets));
  // Blobs are read asynchronously; keep the order and the count the call started with
  const count = packets.length;
  const encoded = new Array<string>(count);
  let pending = count;
  for (let i = 0; i < count; i++) {
    encodePacket(packets[i]!, false, (encodedPacket: RawData) => {
      encoded[i] = encodedPacket as string;
      if (--pending === 0) callback(encoded.join(SEPARATOR));
    });
  }
}

/** Decodes a polling body; decoding stops after the first error packet, which is included. */
export function decodePayload(encodedPayload: string, binaryType?: BinaryType): Packet[] {
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
