import { PacketType, type Packet } from "./packet";

/** Event names with a meaning of their own on one side or the other: a peer may not send them. */
export const RESERVED_EVENTS: ReadonlySet<string> = new Set([
  "connect",
  "connect_error",
  "disconnect",
  "disconnecting",
  "newListener",
  "removeListener",
]);

/** True for objects whose `toString` tag is Object (not arrays, dates, null...). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return Object.prototype.toString.call(value) === "[object Object]";
}

/** True when `data` starts with a number or a string that is not a reserved event name. */
export function isEventPayload(data: unknown): data is [string | number, ...unknown[]] {
  if (!Array.isArray(data)) return false;
  const name: unknown = data[0];
  return typeof name === "number" || (typeof name === "string" && !RESERVED_EVENTS.has(name));
}

function isDataValid(type: unknown, data: unknown): boolean {
  switch (type) {
    case PacketType.CONNECT:
      return data === undefined || isPlainObject(data);
    case PacketType.DISCONNECT:
      return data === undefined;
    case PacketType.EVENT:
      return isEventPayload(data);
    case PacketType.ACK:
      return Array.isArray(data);
    case PacketType.CONNECT_ERROR:
      return typeof data === "string" || isPlainObject(data);
    default:
      return false;
  }
}

/**
 * Whether a packet may be sent as is: the namespace is a string, the ack id (if any) an integer,
 * and the data fits the type. Binary types are not valid here: the encoder chooses them itself.
 * Same rules as socket.io-parser's `isPacketValid`.
 */
export function isPacketValid(packet: Packet): boolean {
  if (typeof packet !== "object" || packet === null) return false;
  return (
    typeof packet.nsp === "string" &&
    (packet.id === undefined || Number.isInteger(packet.id)) &&
    isDataValid(packet.type, packet.data)
  );
}
