import debugModule from "debug";
import { decodePayload, encodePayload, type Packet, type RawData } from "@sockwave/engine-parser";
import { Transport } from "../transport";
import { randomString } from "../util";

const debug = debugModule("sockwave:engine-client:polling");

/** One HTTP exchange of the polling transport, as a platform implementation receives it. */
export interface PollRequest {
  method: "GET" | "POST";
  uri: string;
  /** The encoded payload of a POST. */
  body?: string;
  /** Called with the response body of a 200 answer. */
  onLoad: (body: string) => void;
  /** Called once on any other outcome: a status code, a network error, a timeout. */
  onError: (description: unknown, context?: unknown) => void;
}

/**
 * HTTP long-polling: one pending GET receives, one POST at a time sends. Subclasses only perform the HTTP
 * request (Node's http, XMLHttpRequest, fetch); this class owns the protocol.
 */
export abstract class Polling extends Transport {
  private _polling = false;
  private readonly _inFlight = new Set<() => void>();

  override get name(): string {
    return "polling";
  }

  /** Performs one request and returns a function that aborts it (after which no callback may run). */
  protected abstract startRequest(request: PollRequest): () => void;

  protected doOpen(): void {
    this._poll();
  }

  /** Waits for the pending GET and POST to finish, so no packet is lost while switching transports. */
  override pause(onPause: () => void): void {
    this.readyState = "pausing";
    // One count for this call, one per request still running; the last to settle pauses.
    let waiting = 1;
    const settle = (): void => {
      if (--waiting === 0) {
        debug("paused");
        this.readyState = "paused";
        onPause();
      }
    };
    if (this._polling) {
      waiting++;
      this.once("pollComplete", settle);
    }
    if (!this.writable) {
      waiting++;
      this.once("drain", settle);
    }
    settle();
  }

  private _poll(): void {
    debug("polling");
    this._polling = true;
    this._request("GET", undefined, (body) => this._onPayload(body), "xhr poll error");
    this.emitReserved("poll");
  }

  /** A GET answered: every packet of the payload, then the next GET unless paused or closed. */
  private _onPayload(payload: string): void {
    if (this.readyState === "closed") return;
    debug("polling got data %d chars", payload.length);
    let packets: Packet[];
    try {
      packets = decodePayload(payload, this.socket.binaryType);
    } catch {
      packets = [{ type: "error", data: "parser error" }];
    }
    const wasOpening = this.readyState === "opening";
    for (const packet of packets) {
      if (this.readyState === "opening" && packet.type === "open") this.onOpen();
      if (packet.type === "close") {
        this.onClose({ description: "transport closed by the server" });
        return;
      }
      this.onPacket(packet);
      // A listener may have closed the transport.
      if ((this.readyState as string) === "closed") return;
    }
    if (wasOpening && this.readyState === "opening") {
      this.onError("xhr poll error", "invalid handshake: no open packet");
      return;
    }
    this._polling = false;
    this.emitReserved("pollComplete");
    if (this.readyState === "open") this._poll();
  }

  protected override onData(data: RawData): void {
    this._onPayload(typeof data === "string" ? data : "");
  }

  protected doClose(): void {
    if (this.readyState === "open") {
      debug("sending the close packet");
      // The pending GET ends when the server handles the close packet; what is still open after that goes.
      this.writable = false;
      encodePayload([{ type: "close" }], (body) => this._request("POST", body, () => this._abortAll(), "xhr post error"));
    } else {
      this._abortAll();
    }
  }

  protected write(packets: Packet[]): void {
    this.writable = false;
    encodePayload(packets, (body) => {
      this._request("POST", body, () => {
        this.writable = true;
        this.emitReserved("drain");
      }, "xhr post error");
    });
  }

  private _request(method: "GET" | "POST", body: string | undefined, onLoad: (body: string) => void, reason: string): void {
    let settled = false;
    const finish = (): boolean => {
      if (settled) return false;
      settled = true;
      this._inFlight.delete(abort);
      return true;
    };
    const abort = this.startRequest({
      method,
      uri: this.uri(),
      body,
      onLoad: (responseBody) => {
        if (finish()) onLoad(responseBody);
      },
      onError: (description, context) => {
        if (!finish()) return;
        debug("%s request failed: %s", method, description);
        if (this.readyState !== "closed") this.onError(reason, description, context);
        else this._abortAll();
      },
    });
    if (!settled) this._inFlight.add(abort);
  }

  private _abortAll(): void {
    for (const abort of this._inFlight) abort();
    this._inFlight.clear();
  }

  protected uri(): string {
    // Updated in place, as the official client does: the parameters keep its order on the wire (`t` before
    // `sid`), and every request of a session opened with b64=1 says so.
    const query = this.query;
    if (this.opts.timestampRequests !== false) query[this.opts.timestampParam] = randomString();
    if (!this.supportsBinary && !query.sid) query.b64 = 1;
    return this.createUri(this.opts.secure ? "https" : "http", query);
  }
}
