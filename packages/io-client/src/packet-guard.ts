import { PacketType, RESERVED_EVENTS, type Packet } from "@sockwave/io-parser";

/**
 * More arguments than this in one EVENT or ACK cannot be spread into a listener call
 * (engines throw RangeError around 65k-120k); a server sending that many is broken or hostile.
 */
export const MAX_ARGUMENTS = 10_000;

/**
 * Checks a decoded packet before any socket sees it. socket.io-parser validates payloads already,
 * but a custom `parser` (msgpack, ...) may not, and a hostile server controls every byte.
 *
 * @returns why the packet is unacceptable, or `undefined` when it is fine
 */
export function findPacketProblem(packet: Partial<Packet> | null | undefined): string | undefined {
  if (!packet || typeof packet.nsp !== "string") return "no namespace";
  const { type, data, id } = packet;
  if (id != null && !(Number.isSafeInteger(id) && id >= 0)) return "bad ack id";
  if (type === PacketType.EVENT || type === PacketType.BINARY_EVENT || type === PacketType.ACK || type === PacketType.BINARY_ACK) {
    const isEvent = type === PacketType.EVENT || type === PacketType.BINARY_EVENT;
    if (!Array.isArray(data)) return "payload not an array";
    if (data.length > MAX_ARGUMENTS) return `${data.length} arguments (at most ${MAX_ARGUMENTS})`;
    if (!isEvent) return id == null ? "ACK without id" : undefined;
    const name: unknown = data[0];
    if (typeof name === "number") return undefined;
    if (typeof name !== "string") return "event name not a string or number";
    if (RESERVED_EVENTS.has(name)) return `reserved event "${name}"`;
    return undefined;
  }
  return type === PacketType.CONNECT || type === PacketType.DISCONNECT || type === PacketType.CONNECT_ERROR
    ? undefined // their payloads are checked where they are used, with a clear connect_error for odd shapes
    : `unknown type ${String(type)}`;
}
