import debugModule from "debug";
import type { Packet } from "@sockwave/engine-parser";
import { SocketWithoutUpgrade } from "./socket";
import type { Transport } from "./transport";

const debug = debugModule("sockwave:engine-client:socket");

type UntypedOn = (event: string, listener: (...args: never[]) => void) => unknown;

/**
 * A socket that opens with the first transport (polling by default) and then probes the server's upgrades
 * (`2probe` / `3probe`), switching once the old transport has paused with nothing in flight.
 */
export class SocketWithUpgrade extends SocketWithoutUpgrade {
  protected override onOpen(): void {
    super.onOpen();
    if (this.readyState === "open" && this.opts.upgrade) {
      debug("starting upgrade probes");
      for (const name of this.upgrades) this._probe(name);
    }
  }

  private _probe(name: string): void {
    debug('probing transport "%s"', name);
    let transport: Transport | undefined = this.createTransport(name);
    let failed = false;
    SocketWithoutUpgrade.priorWebsocketSuccess = false;

    const onTransportOpen = (): void => {
      if (failed || !transport) return;
      debug('probe transport "%s" opened', name);
      transport.send([{ type: "ping", data: "probe" }]);
      transport.once("packet", (packet: Packet) => {
        if (failed || !transport) return;
        if (packet.type !== "pong" || packet.data !== "probe") {
          fail(`answered with a "${packet.type}" packet`);
          return;
        }
        debug('probe transport "%s" pong', name);
        this.upgrading = true;
        this.emitReserved("upgrading", transport);
        if (!transport) return;
        SocketWithoutUpgrade.priorWebsocketSuccess = transport.name === "websocket";
        debug('pausing current transport "%s"', this.transport.name);
        this.transport.pause(() => {
          if (failed || !transport || this.readyState === "closed") return;
          debug("changing transport and sending upgrade packet");
          cleanup();
          this.setTransport(transport);
          transport.send([{ type: "upgrade" }]);
          const upgraded = transport;
          transport = undefined;
          // Before the event: a listener that calls close() must not wait for an upgrade that already happened.
          this.upgrading = false;
          this.emitReserved("upgrade", upgraded);
          this.flush();
        });
      });
    };

    const freeze = (): void => {
      if (failed) return;
      failed = true;
      cleanup();
      transport?.close();
      transport = undefined;
    };

    const fail = (reason: string): void => {
      const error = new Error(`probe error: ${reason}`) as Error & { transport?: string };
      error.transport = name;
      freeze();
      debug('probe transport "%s" failed because of error: %s', name, reason);
      this.upgrading = false;
      this.emitReserved("upgradeError", error);
    };

    const onTransportError = (err: Error): void => fail(err.message);
    const onTransportClose = (): void => fail("transport closed");
    const onSocketClose = (): void => fail("socket closed");
    // Another transport won the race: drop this probe.
    const onUpgrading = (to: Transport): void => {
      if (transport && to.name !== transport.name) {
        debug('"%s" works - aborting "%s"', to.name, transport.name);
        freeze();
      }
    };

    // Every listener of the probe, registered once and removed together.
    type Registration = [{ once: UntypedOn; off: UntypedOn }, string, (...args: never[]) => void];
    const registrations = [
      [transport, "open", onTransportOpen],
      [transport, "error", onTransportError],
      [transport, "close", onTransportClose],
      [this, "close", onSocketClose],
      [this, "upgrading", onUpgrading],
    ] as unknown as Registration[];
    const cleanup = (): void => {
      for (const [target, event, listener] of registrations) target.off(event, listener);
    };
    for (const [target, event, listener] of registrations) target.once(event, listener);
    transport.open();
  }
}
