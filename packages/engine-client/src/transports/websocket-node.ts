import type { Agent } from "node:http";
import type { Packet, RawData } from "@sockwave/engine-parser";
import { WebSocket, type ClientOptions } from "ws";
import { cookieJarOf } from "../cookie-jar";
import { tlsOptionsOf } from "./tls-options";
import { BaseWebSocket } from "./websocket";

/** The WebSocket transport in Node, over `ws`: extra headers, cookies, agent, TLS and permessage-deflate. */
export class NodeWebSocket extends BaseWebSocket<WebSocket> {
  protected createSocket(uri: string, protocols: string | string[] | undefined): WebSocket {
    const headers: Record<string, string> = { ...this.opts.extraHeaders };
    const cookieJar = cookieJarOf(this.socket, this.opts.withCredentials);
    const cookie = cookieJar?.header();
    if (cookie) headers.cookie = cookie;
    const options: ClientOptions = {
      headers,
      perMessageDeflate: this.opts.perMessageDeflate !== false,
      ...tlsOptionsOf(this.opts),
    };
    if (this.opts.agent && typeof this.opts.agent === "object") options.agent = this.opts.agent as Agent;
    const ws = new WebSocket(uri, protocols, options);
    ws.on("upgrade", (response) => {
      cookieJar?.parseCookies(response.headers["set-cookie"]);
      if (this.opts.autoUnref) response.socket.unref();
    });
    return ws;
  }

  protected socketBinaryType(): string {
    return this.socket.binaryType === "arraybuffer" ? "arraybuffer" : "nodebuffer";
  }

  protected sendFrame(ws: WebSocket, packet: Packet, data: RawData): void {
    let compress = packet.options?.compress !== false;
    const deflate = this.opts.perMessageDeflate;
    if (deflate && byteLengthOf(data) < deflate.threshold) compress = false;
    ws.send(data, { compress });
  }
}

function byteLengthOf(data: RawData): number {
  if (typeof data === "string") return Buffer.byteLength(data);
  return "byteLength" in data ? data.byteLength : data.size;
}
