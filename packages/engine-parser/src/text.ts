import { digitOf, type PacketType } from "./commons";

/**
 * Sockwave addition: the text form of a packet from its type and string data, for hot paths that
 * already know their data is text (`encodeTextPacket("message", "hello")` is `"4hello"`).
 */
export function encodeTextPacket(type: PacketType, data?: string): string {
  return data ? digitOf(type) + data : digitOf(type);
}
