import type { Packet } from "@sockwave/engine-parser";
import { Transport } from "../transport";

/**
 * Stands in for engine.io-client's WebTransport transport, which Sockwave does not implement: importing it
 * works, opening it reports a transport error (with `tryAllTransports`, the next transport is tried).
 */
export class WebTransport extends Transport {
  override get name(): string {
    return "webtransport";
  }

  protected doOpen(): void {
    // Reported after the constructor returns, so listeners attached by the socket see it.
    this.setTimeoutFn(() => {
      this.onError("webtransport error", new Error("Sockwave does not implement the WebTransport transport; use websocket"));
    }, 0);
  }

  protected doClose(): void {}

  protected write(_packets: Packet[]): void {}
}
