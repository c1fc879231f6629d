import type { TransportCtor } from "../socket-options";
import { NodePolling } from "./polling-node";
import { NodeWebSocket } from "./websocket-node";

/** The transports a Node `Socket` uses by name. */
export const transports: Record<string, TransportCtor> = {
  polling: NodePolling,
  websocket: NodeWebSocket,
};
