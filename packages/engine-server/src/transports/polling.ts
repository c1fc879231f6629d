import type { ServerResponse } from "node:http";
import { gzip, deflate, type ZlibOptions } from "node:zlib";
import debugModule from "debug";
import { decodePayload, encodePayload } from "../codec";
import type { Packet, RawData } from "../packet";
import type { EngineRequest } from "../request";
import { Transport, type SendCallback } from "../transport";

const debug = debugModule("sockwave:engine:polling");

export interface HttpCompressionOptions extends ZlibOptions {
  /** Bodies smaller than this many bytes are sent uncompressed (default 1024). */
  threshold?: number;
}

const kPolling = Symbol("sockwave:polling");
type OwnedResponse = ServerResponse & { [kPolling]?: Polling };
type OwnedRequest = EngineRequest & { [kPolling]?: Polling };

const NOOP_PACKET: Packet = { type: "noop" };
const CLOSE_PACKET: Packet = { type: "close" };

/** HTTP long-polling: GET requests carry packets to the client, POST requests bring them in. */
export class Polling extends Transport {
  maxHttpBufferSize = 1e6;
  httpCompression: HttpCompressionOptions | false = false;
  /** How long an orderly close waits for the client's next GET, in ms. */
  closeTimeout = 30_000;

  private pollRequest: EngineRequest | null = null;
  private pollResponse: ServerResponse | null = null;
  private dataRequest: EngineRequest | null = null;
  private dataResponse: ServerResponse | null = null;
  private bodyChunks: Buffer[] | null = null;
  private bodyLength = 0;
  private bodyIsBinary = false;
  private pendingCallbacks: SendCallback[] | null = null;
  private closeCallback: (() => void) | undefined = undefined;
  private closePending = false;
  private closeTimer: NodeJS.Timeout | null = null;

  get name(): string {
    return "polling";
  }

  override onRequest(req: EngineRequest): void {
    const res = req.res;
    req.res = null;
    if (!res) return;
    if (req.method === "GET") this.onPollRequest(req, res);
    else if (req.method === "POST") this.onDataRequest(req, res);
    else {
      res.writeHead(500);
      res.end();
    }
  }

  private onPollRequest(req: EngineRequest, res: ServerResponse): void {
    if (this.pollRequest) {
      debug("request overlap");
      this.onError("overlap from client");
      res.writeHead(400);
      res.end();
      return;
    }
    debug("setting request");
    this.pollRequest = req;
    this.pollResponse = res;
    (res as OwnedResponse)[kPolling] = this;
    res.once("close", onPollResponseClose);
    this.writableFlag = true;
    this.owner?.onTransportReady(this);
    if (this.listenerCount("ready") > 0) this.emit("ready");
    if (this.writableFlag && this.closePending) {
      debug("triggering empty send to append close packet");
      this.send([NOOP_PACKET]);
    }
  }

  /** @internal the client went away while its GET was held */
  onPollAborted(res: ServerResponse): void {
    if (this.pollResponse !== res) return;
    this.pollRequest = this.pollResponse = null;
    this.writableFlag = false;
    this.onError("poll connection closed prematurely");
  }

  private onDataRequest(req: EngineRequest, res: ServerResponse): void {
    if (this.dataRequest) {
      this.onError("data request overlap from client");
      res.writeHead(400);
      res.end();
      return;
    }
    const isBinary = req.headers["content-type"] === "application/octet-stream";
    if (isBinary && this.protocol === 4) {
      this.onError("invalid content");
      res.writeHead(400);
      res.end();
      return;
    }
    this.dataRequest = req;
    this.dataResponse = res;
    this.bodyChunks = [];
    this.bodyLength = 0;
    this.bodyIsBinary = isBinary;
    (req as OwnedRequest)[kPolling] = this;
    (res as OwnedResponse)[kPolling] = this;
    req.on("data", onBodyChunk);
    req.on("end", onBodyEnd);
    res.once("close", onDataResponseClose);
  }

  /** @internal */
  onBodyChunk(chunk: Buffer): void {
    if (!this.bodyChunks) return;
    this.bodyLength += chunk.length;
    if (this.bodyLength > this.maxHttpBufferSize) {
      debug("payload of %d+ bytes exceeds maxHttpBufferSize", this.bodyLength);
      const res = this.dataResponse!;
      this.releaseDataRequest();
      res.writeHead(413, { Connection: "close" });
      res.end();
      return;
    }
    this.bodyChunks.push(chunk);
  }

  /** @internal */
  onBodyEnd(): void {
    const chunks = this.bodyChunks;
    const req = this.dataRequest;
    const res = this.dataResponse;
    if (!chunks || !req || !res) return;
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, this.bodyLength);
    const isBinary = this.bodyIsBinary;
    this.releaseDataRequest();
    this.onData(isBinary ? body : body.toString("utf8"));
    res.writeHead(200, this.headers(req, { "Content-Type": "text/html", "Content-Length": "2" }));
    res.end("ok");
  }

  /** @internal */
  onDataAborted(res: ServerResponse): void {
    if (this.dataResponse !== res || res.writableFinished) return;
    this.releaseDataRequest();
    this.onError("data request connection closed prematurely");
  }

  private releaseDataRequest(): void {
    const req = this.dataRequest;
    if (req) {
      req.removeListener("data", onBodyChunk);
      req.removeListener("end", onBodyEnd);
      (req as OwnedRequest)[kPolling] = undefined;
    }
    this.dataRequest = this.dataResponse = null;
    this.bodyChunks = null;
    this.bodyLength = 0;
  }

  protected override onData(data: RawData): void {
    const packets = decodePayload(this.protocol, data as string | Buffer);
    for (const packet of packets) {
      if (packet.type === "close") {
        debug("got xhr close packet");
        this.onClose();
        return;
      }
      this.onPacket(packet);
      if (this.readyState === "closed") return;
    }
  }

  protected override onClose(): void {
    if (this.writableFlag) this.send([NOOP_PACKET]);
    super.onClose();
  }

  send(packets: Packet[], callbacks?: SendCallback[] | null): void {
    this.writableFlag = false;
    if (callbacks) this.pendingCallbacks = callbacks;
    if (this.closePending) {
      debug("appending close packet to payload");
      packets = packets.concat(CLOSE_PACKET);
      this.finishClose();
    }
    let compress = false;
    for (const packet of packets) {
      if (packet.options?.compress !== false) {
        compress = true;
        break;
      }
    }
    const data = encodePayload(this.protocol, packets, this.supportsBinary);
    this.write(data, compress);
  }

  private write(data: string | Buffer, compress: boolean): void {
    debug('writing "%s"', data);
    const req = this.pollRequest;
    const res = this.pollResponse;
    if (!req || !res) return;
    this.doWrite(req, res, data, compress);
  }

  /** Writes one response body; subclasses (JSONP) wrap the body first. */
  protected doWrite(req: EngineRequest, res: ServerResponse, data: string | Buffer, compress: boolean): void {
    const isString = typeof data === "string";
    const headers: Record<string, string | string[]> = {
      "Content-Type": isString ? "text/plain; charset=UTF-8" : "application/octet-stream",
    };
    const length = isString ? Buffer.byteLength(data) : data.length;
    const encoding = this.httpCompression && compress && length >= (this.httpCompression.threshold ?? 1024) ? acceptedEncoding(req) : null;
    if (!encoding || !this.httpCompression) {
      headers["Content-Length"] = String(length);
      this.respond(req, res, headers, data);
      return;
    }
    debug("compressing with %s", encoding);
    const compressor = encoding === "gzip" ? gzip : deflate;
    compressor(data, this.httpCompression, (err, compressed) => {
      if (err) {
        headers["Content-Length"] = String(length);
        this.respond(req, res, headers, data);
        return;
      }
      headers["Content-Encoding"] = encoding;
      headers["Content-Length"] = String(compressed.length);
      this.respond(req, res, headers, compressed);
    });
  }

  private respond(req: EngineRequest, res: ServerResponse, headers: Record<string, string | string[]>, body: string | Buffer): void {
    (res as OwnedResponse)[kPolling] = undefined;
    res.removeListener("close", onPollResponseClose);
    if (this.pollResponse === res) this.pollRequest = this.pollResponse = null;
    if (!res.destroyed && !res.headersSent) {
      res.writeHead(200, this.headers(req, headers));
      res.end(body);
    }
    const callbacks = this.pendingCallbacks;
    this.pendingCallbacks = null;
    if (callbacks) for (const callback of callbacks) callback(this);
    if (this.listenerCount("drain") > 0) this.emit("drain");
  }

  protected doClose(fn?: () => void): void {
    debug("closing");
    if (this.dataRequest) {
      debug("aborting ongoing data request");
      const req = this.dataRequest;
      this.releaseDataRequest();
      req.destroy();
    }
    this.closeCallback = fn;
    if (this.writableFlag) {
      debug("transport writable - closing right away");
      this.send([CLOSE_PACKET]);
      this.finishClose();
    } else if (this.discarded) {
      debug("transport discarded - closing right away");
      this.finishClose();
    } else {
      debug("transport not writable - buffering orderly close");
      this.closePending = true;
      this.closeTimer = setTimeout(onCloseTimeout, this.closeTimeout, this);
    }
  }

  /** @internal */
  finishClose(): void {
    this.closePending = false;
    if (this.closeTimer) clearTimeout(this.closeTimer);
    this.closeTimer = null;
    const fn = this.closeCallback;
    this.closeCallback = undefined;
    fn?.();
    this.onClose();
  }
}

/** The first of gzip / deflate the client accepts (q=0 means refused). */
function acceptedEncoding(req: EngineRequest): "gzip" | "deflate" | null {
  const header = req.headers["accept-encoding"];
  if (!header) return null;
  let deflateAccepted = false;
  for (const part of header.split(",")) {
    const [rawName, ...params] = part.split(";");
    const name = rawName!.trim().toLowerCase();
    const refused = params.some((param) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(param));
    if (refused) continue;
    if (name === "gzip" || name === "*") return "gzip";
    if (name === "deflate") deflateAccepted = true;
  }
  return deflateAccepted ? "deflate" : null;
}

function onPollResponseClose(this: OwnedResponse): void {
  this[kPolling]?.onPollAborted(this);
}

function onDataResponseClose(this: OwnedResponse): void {
  const transport = this[kPolling];
  this[kPolling] = undefined;
  transport?.onDataAborted(this);
}

function onBodyChunk(this: OwnedRequest, chunk: Buffer): void {
  this[kPolling]?.onBodyChunk(chunk);
}

function onBodyEnd(this: OwnedRequest): void {
  this[kPolling]?.onBodyEnd();
}

function onCloseTimeout(transport: Polling): void {
  transport.finishClose();
}
