import { prepareMessage } from "@sockwave/engine-server";
import type { EngineData } from "./engine";

// Every recipient of one broadcast receives the same `encodedPackets` array from the adapter: the
// engine messages prepared for it (frames encoded once, on first use) are kept with the array.
const preparedByBroadcast = new WeakMap<readonly EngineData[], readonly unknown[]>();

// The most recent broadcast: recipients come one after another, so this answers all but the first
// without a WeakMap lookup. Holding it strongly keeps at most one finished broadcast alive.
let lastPackets: readonly EngineData[] | undefined;
let lastPrepared: readonly unknown[] = [];

/** The prepared engine messages of one broadcast's encoded packets, computed on first request. */
export function preparedMessagesFor(encodedPackets: readonly EngineData[]): readonly unknown[] {
  if (encodedPackets === lastPackets) return lastPrepared;
  let prepared = preparedByBroadcast.get(encodedPackets);
  if (!prepared) {
    prepared = encodedPackets.map((packet) => prepareMessage(packet));
    preparedByBroadcast.set(encodedPackets, prepared);
  }
  lastPackets = encodedPackets;
  lastPrepared = prepared;
  return prepared;
}
