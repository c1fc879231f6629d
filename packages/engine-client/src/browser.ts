// The browser entry (export condition "browser"): XMLHttpRequest polling and the native WebSocket, no Node API.
export * from "./common";
export { Socket } from "./socket-browser";
export { transports } from "./transports/browser";
// The Node transports' names, so code written for both platforms imports the same names.
export { XHR as NodeXHR } from "./transports/polling-xhr";
export { WS as NodeWebSocket } from "./transports/websocket-browser";
