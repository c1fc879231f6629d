import { isBinaryData, toBuffer, type Packet, type RawData } from "./packet";
import { binaryFrame, textFrame } from "./websocket/frame-writer";

const MESSAGE_DIGIT = 4;

/**
 * One Engine.IO message whose wire forms are computed once, on first use, and then shared by every
 * recipient: the complete WebSocket frame per protocol revision, and the packet for polling bodies.
 * `Socket#write` accepts it wherever it accepts a string or a Buffer.
 */
export class PreparedMessage {
  /** The message payload as the application passed it. */
  readonly data: string | Buffer;
  private frameV4: Buffer | undefined;
  private frameV3: Buffer | undefined;
  private packetForm: Packet | undefined;

  constructor(data: RawData) {
    this.data = typeof data === "string" ? data : toBuffer(data);
  }

  get isBinary(): boolean {
    return typeof this.data !== "string";
  }

  /** The whole WebSocket frame (header and payload) for a client of the given protocol revision. */
  websocketFrame(protocol: 3 | 4): Buffer {
    if (protocol === 4) return (this.frameV4 ??= encodeFrame(this.data, false));
    if (typeof this.data === "string") return (this.frameV3 ??= this.websocketFrame(4));
    return (this.frameV3 ??= encodeFrame(this.data, true));
  }

  /** The message as a packet object, for polling bodies and the slow path (shared, do not mutate). */
  packet(): Packet {
    return (this.packetForm ??= { type: "message", data: this.data });
  }
}

function encodeFrame(data: string | Buffer, withTypeByte: boolean): Buffer {
  return typeof data === "string" ? textFrame(MESSAGE_DIGIT, data) : binaryFrame(data, withTypeByte ? MESSAGE_DIGIT : -1);
}

/** Prepares a message once for many recipients (see `PreparedMessage`). */
export function prepareMessage(data: RawData | PreparedMessage): PreparedMessage {
  if (data instanceof PreparedMessage) return data;
  if (typeof data !== "string" && !isBinaryData(data)) {
    throw new TypeError("prepareMessage(data): data must be a string, a Buffer, an ArrayBuffer or a typed array");
  }
  return new PreparedMessage(data);
}
