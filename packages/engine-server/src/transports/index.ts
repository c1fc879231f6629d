import type { EngineRequest } from "../request";
import type { Transport } from "../transport";
import { Polling } from "./polling";
import { JSONP } from "./polling-jsonp";
import { WebSocketTransport } from "./websocket";

export type TransportName = "polling" | "websocket";

export interface TransportFactory {
  (req: EngineRequest): Transport;
  readonly upgradesTo?: readonly string[];
}

/** Long-polling: JSONP when the client sent `j`, XHR otherwise. */
function polling(req: EngineRequest): Transport {
  return typeof req._query.j === "string" ? new JSONP(req) : new Polling(req);
}
polling.upgradesTo = ["websocket"] as readonly string[];

function websocket(req: EngineRequest): Transport {
  return new WebSocketTransport(req);
}

/** The available transports, by name (engine.io's `transports`). */
export const transports: Record<TransportName, TransportFactory> = { polling, websocket };

export { Polling, JSONP, WebSocketTransport };
