// @ts-check
// The chat demo's server: static files for the page, and the Socket.IO events of the chat.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { Server } from "@sockwave/io-server";

const publicDir = new URL("../public/", import.meta.url);

/** The files of the page, by URL path. The Socket.IO client itself is served by io-server at /socket.io/. */
const pages = new Map([
  ["/", { file: "index.html", type: "text/html; charset=utf-8" }],
  ["/chat.js", { file: "chat.js", type: "application/javascript; charset=utf-8" }],
  ["/chat.css", { file: "chat.css", type: "text/css; charset=utf-8" }],
]);

export const DEFAULT_ROOM = "general";
const NICKNAME = /^[\p{L}\p{N} _.-]{1,24}$/u;
const ROOM = /^[\p{L}\p{N}_-]{1,32}$/u;
const MAX_MESSAGE_LENGTH = 500;

/**
 * Creates the chat application on a new HTTP server (not yet listening).
 * Clients connect with `auth: { nickname }`, then:
 * - `join(room, ack)`: leaves the current room, joins `room`, acks `{ room, members }`;
 * - `message(text, ack)`: relays `{ id, from, text, at }` to the others in the room, acks `{ id, at }`
 *   (the sender shows the message as delivered when the ack arrives);
 * - `typing(isTyping)`: relayed as a volatile `typing({ nickname, typing })` (losing one is harmless).
 * The server sends `roster(members)` and `notice(text)` to a room when somebody joins or leaves it.
 */
export function createChatServer() {
  const httpServer = createServer(async (req, res) => {
    const page = pages.get(new URL(req.url ?? "/", "http://localhost").pathname);
    if (!page || (req.method !== "GET" && req.method !== "HEAD")) {
      res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("Not found");
      return;
    }
    const body = await readFile(new URL(page.file, publicDir));
    res.writeHead(200, { "Content-Type": page.type, "Cache-Control": "no-cache" }).end(body);
  });

  const io = new Server(httpServer);
  let nextMessageId = 1;

  io.use((socket, next) => {
    const nickname = typeof socket.handshake.auth.nickname === "string" ? socket.handshake.auth.nickname.trim() : "";
    if (!NICKNAME.test(nickname)) {
      next(new Error("Choose a nickname of 1 to 24 letters, digits, spaces, dots, dashes or underscores."));
      return;
    }
    socket.data.nickname = nickname;
    next();
  });

  /** @param {string} room */
  async function announceRoster(room) {
    const members = (await io.in(room).fetchSockets()).map((member) => member.data.nickname).sort();
    io.to(room).emit("roster", members);
    return members;
  }

  io.on("connection", (socket) => {
    const nickname = socket.data.nickname;
    /** @type {string | undefined} */
    let room;

    socket.on("join", async (requested, ack) => {
      if (typeof ack !== "function") return;
      if (typeof requested !== "string" || !ROOM.test(requested)) {
        ack({ error: "Room names are 1 to 32 letters, digits, dashes or underscores." });
        return;
      }
      if (room === requested) {
        ack({ room, members: await announceRoster(room) });
        return;
      }
      const previous = room;
      if (previous) {
        socket.leave(previous);
        socket.to(previous).emit("notice", `${nickname} left`);
        void announceRoster(previous);
      }
      room = requested;
      socket.join(room);
      socket.to(room).emit("notice", `${nickname} joined`);
      ack({ room, members: await announceRoster(room) });
    });

    socket.on("message", (text, ack) => {
      if (typeof ack !== "function") return;
      if (!room) {
        ack({ error: "Join a room first." });
        return;
      }
      if (typeof text !== "string" || text.trim() === "" || text.length > MAX_MESSAGE_LENGTH) {
        ack({ error: `Messages are 1 to ${MAX_MESSAGE_LENGTH} characters.` });
        return;
      }
      const message = { id: nextMessageId++, from: nickname, text, at: Date.now() };
      socket.to(room).emit("message", message);
      ack({ id: message.id, at: message.at });
    });

    socket.on("typing", (typing) => {
      if (room) socket.to(room).volatile.emit("typing", { nickname, typing: typing === true });
    });

    socket.on("disconnecting", () => {
      if (!room) return;
      socket.to(room).emit("typing", { nickname, typing: false });
      socket.to(room).emit("notice", `${nickname} left`);
    });

    socket.on("disconnect", () => {
      if (room) void announceRoster(room);
    });
  });

  return {
    httpServer,
    io,
    /**
     * Starts listening and resolves with the page's URL.
     * @param {number} port 0 picks a free port
     * @param {string} [host]
     */
    listen(port, host = "localhost") {
      return new Promise((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(port, host, () => {
          const address = httpServer.address();
          const actualPort = typeof address === "object" && address ? address.port : port;
          resolve(`http://${host}:${actualPort}`);
        });
      });
    },
    /** Disconnects every client and closes the HTTP server. */
    close() {
      return new Promise((resolve) => io.close(() => resolve(undefined)));
    },
  };
}
