import * as crypto from "node:crypto";
import { STATUS_CODES, type IncomingMessage } from "node:http";
import type { Socket as NetSocket } from "node:net";
import type { Duplex } from "node:stream";
import debugModule from "debug";
import { refuseUpgrade } from "../errors";
import { corkForThisTurn } from "../write-scheduler";
import { WebSocketConnection } from "./connection";

const debug = debugModule("sockwave:engine:websocket-connection");

/** RFC 6455 section 1.3: appended to the client's key before hashing. */
const ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
const KEY_PATTERN = /^[+/0-9A-Za-z]{22}==$/;
/** RFC 7230 token characters, which subprotocol names are made of. */
const TOKEN_PATTERN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Lets the caller add header lines (`Name: value`) to the 101 response. */
export type ResponseHeadersHook = (lines: string[], req: IncomingMessage) => void;

// crypto.hash (Node >= 20.12) skips the Hash object createHash needs
const sha1Base64: (input: string) => string =
  typeof crypto.hash === "function"
    ? (input) => crypto.hash("sha1", input, "base64")
    : (input) => crypto.createHash("sha1").update(input).digest("base64");

/** The Sec-WebSocket-Accept value for a client's Sec-WebSocket-Key. */
function acceptValue(key: string): string {
  return sha1Base64(key + ACCEPT_GUID);
}

/**
 * The subprotocols a client offers (comma-separated tokens), or null if the header is malformed
 * (an empty element, a non-token character or a name offered twice).
 */
function parseProtocols(header: string): string[] | null {
  const names: string[] = [];
  for (const element of header.split(",")) {
    const name = element.replace(/^[ \t]+|[ \t]+$/g, "");
    if (!TOKEN_PATTERN.test(name) || names.includes(name)) return null;
    names.push(name);
  }
  return names;
}

/** Answers a refused WebSocket handshake as ws does (status, text body, Connection: close) and destroys the socket. */
function refuseHandshake(socket: Duplex, status: number, message: string, moreHeaders = ""): void {
  debug("refusing handshake: %d %s", status, message);
  refuseUpgrade(socket, `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ""}\r\nConnection: close\r\nContent-Type: text/html\r\n`, message, moreHeaders);
}

/**
 * Checks a WebSocket upgrade request, answers it with 101 and returns the open connection, or refuses it
 * (405/400 with ws's messages, so clients see no difference) and returns null. `upgradeHead` holds the
 * first bytes of the WebSocket stream, if the client sent any with the request.
 */
export function acceptWebSocket(
  req: IncomingMessage,
  socket: Duplex,
  upgradeHead: Buffer,
  maxPayload: number,
  addHeaders: ResponseHeadersHook,
): WebSocketConnection | null {
  if (req.method !== "GET") {
    refuseHandshake(socket, 405, "Invalid HTTP method");
    return null;
  }
  const upgrade = req.headers.upgrade;
  if (upgrade === undefined || upgrade.toLowerCase() !== "websocket") {
    refuseHandshake(socket, 400, "Invalid Upgrade header");
    return null;
  }
  const key = req.headers["sec-websocket-key"];
  if (key === undefined || !KEY_PATTERN.test(key)) {
    refuseHandshake(socket, 400, "Missing or invalid Sec-WebSocket-Key header");
    return null;
  }
  const version = Number(req.headers["sec-websocket-version"]);
  if (version !== 13 && version !== 8) {
    refuseHandshake(socket, 400, "Missing or invalid Sec-WebSocket-Version header", "Sec-WebSocket-Version: 13, 8\r\n");
    return null;
  }
  const offered = req.headers["sec-websocket-protocol"];
  let protocol: string | undefined;
  if (offered !== undefined) {
    const protocols = parseProtocols(offered);
    if (protocols === null) {
      refuseHandshake(socket, 400, "Invalid Sec-WebSocket-Protocol header");
      return null;
    }
    protocol = protocols[0];
  }
  // the socket may have gone while the engine checked the request
  if (!socket.readable || !socket.writable) {
    socket.destroy();
    return null;
  }
  const lines = [
    "HTTP/1.1 101 Switching Protocols",
    "Upgrade: websocket",
    "Connection: Upgrade",
    `Sec-WebSocket-Accept: ${acceptValue(key)}`,
  ];
  if (protocol !== undefined) lines.push(`Sec-WebSocket-Protocol: ${protocol}`);
  addHeaders(lines, req);
  // the 101 response and the first frames (the open packet) leave together at the end of the turn
  corkForThisTurn(socket);
  socket.write(lines.join("\r\n") + "\r\n\r\n");
  // bytes that came with the request are the start of the frame stream: read before what follows
  if (upgradeHead.length > 0) socket.unshift(upgradeHead);
  return new WebSocketConnection(socket as NetSocket, maxPayload);
}
