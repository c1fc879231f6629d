/**
 * Thrown by `Decoder#add` for input that is not a valid Socket.IO packet. The message says what was
 * wrong; servers close the connection with reason "parse error", clients with "parse error" too.
 */
export class DecodeError extends Error {
  override readonly name = "DecodeError";
}
