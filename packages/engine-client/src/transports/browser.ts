import type { TransportCtor } from "../socket-options";
import { XHR } from "./polling-xhr";
import { WS } from "./websocket-browser";

/** The transports a browser `Socket` uses by name. */
export const transports: Record<string, TransportCtor> = {
  polling: XHR,
  websocket: WS,
};
