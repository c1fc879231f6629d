import { PacketType, type Packet } from "@sockwave/io-parser";

/**
 * More arguments than this in one EVENT or ACK cannot be spread into a listener call
 * (engines throw RangeError around 65k-120k); a server sending that many is broken or hostile.
 */
export const MAX_ARGUMENTS = 10_000;

/** Event names only the client itself may emit; a server sending them would corrupt the socket's state. */
const RESERVED_EVENT_NAMES = new Set(["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"]);

/**
 * Checks a decoded packet before any socket sees it. socket.io-parser validates payloads already,
 * but a custom `parser` (msgpack, ...) may not, and a hostile server controls every byte.
 *
 * @returns why the packet is unacceptable, or `undefined` when it is fine
 */
export function findPacketProblem(packet: unknown): string | undefined {
  if (typeof packet !== "object" || packet === null) return "the decoded packet is not an object";
  const { type, nsp, data, id } = packet as Partial<Packet>;
  if (typeof nsp !== "string") return "the packet has no namespace";
  if (id !== undefined && id !== null && !(typeof id === "number" && Number.isSafeInteger(id) && id >= 0)) {
    return "the packet's ack id is not a non-negative integer";
  }
  switch (type) {
    case PacketType.CONNECT:
    case PacketType.DISCONNECT:
    case PacketType.CONNECT_ERROR:
      // their payloads are checked where they are used, with a clear connect_error for odd shapes
      return undefined;
    case PacketType.EVENT:
    case PacketType.BINARY_EVENT: {
      if (!Array.isArray(data) || data.length === 0) return "the EVENT payload is not a non-empty array";
      const name: unknown = data[0];
      if (typeof name !== "string" && typeof name !== "number") return "the EVENT name is neither a string nor a number";
      if (typeof name === "string" && RESERVED_EVENT_NAMES.has(name)) return `the server sent the reserved event "${name}"`;
      if (data.length > MAX_ARGUMENTS) return `the EVENT has ${data.length} arguments (at most ${MAX_ARGUMENTS} are accepted)`;
      return undefined;
    }
    case PacketType.ACK:
    case PacketType.BINARY_ACK:
      if (!Array.isArray(data)) return "the ACK payload is not an array";
      if (typeof id !== "number") return "the ACK has no id";
      if (data.length > MAX_ARGUMENTS) return `the ACK has ${data.length} arguments (at most ${MAX_ARGUMENTS} are accepted)`;
      return undefined;
    default:
      return `unknown packet type ${String(type)}`;
  }
}
