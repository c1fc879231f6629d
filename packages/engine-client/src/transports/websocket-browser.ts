import type { Packet, RawData } from "@sockwave/engine-parser";
import { BaseWebSocket, type WebSocketLike } from "./websocket";

interface NativeWebSocket extends WebSocketLike {
  send(data: RawData): void;
}

/** The WebSocket transport over the environment's native `WebSocket` (browsers, Deno, Node 22+). */
export class WS extends BaseWebSocket<NativeWebSocket> {
  protected createSocket(uri: string, protocols: string | string[] | undefined): NativeWebSocket {
    return new globalThis.WebSocket(uri, protocols) as unknown as NativeWebSocket;
  }

  protected socketBinaryType(): string {
    // Native sockets know "blob" and "arraybuffer"; "nodebuffer" has no meaning there.
    return this.socket.binaryType === "blob" ? "blob" : "arraybuffer";
  }

  protected sendFrame(ws: NativeWebSocket, _packet: Packet, data: RawData): void {
    ws.send(data);
  }
}
