// The Node entry: polling over node:http, WebSocket over ws, a cookie jar for withCredentials.
export * from "./common";
export { Socket } from "./socket-node";
export { transports } from "./transports/node";
export { NodePolling as NodeXHR } from "./transports/polling-node";
export { NodeWebSocket } from "./transports/websocket-node";
