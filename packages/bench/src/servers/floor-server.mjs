// The floor of the fan-out scenario, in its own process like io-server.mjs:
//   node floor-server.mjs node:net <features JSON>
// No socket.io, no ws: it answers the HTTP upgrade itself, speaks just enough Engine.IO 4 /
// Socket.IO 5 for the load generators' sessions (open packet, CONNECT and its reply), and
// broadcasts by building the bytes socket.io would send ONCE per broadcast and calling
// net.Socket#write once per recipient, nothing else. Whatever a real server spends per delivered
// message beyond this is its own; what this costs (mostly the kernel's write() per recipient) no
// server that writes each recipient once per broadcast can avoid.

import { createHash, randomBytes } from 'node:crypto';
import { FrameSplitter, OPCODE_BINARY, OPCODE_CLOSE, OPCODE_PING, OPCODE_PONG, OPCODE_TEXT } from '../net/frame-splitter.mjs';
import { emitInTurns } from './probes.mjs';
import { runServerProcess } from './server-process.mjs';

const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** engine.io's default; a client frame above it is not one of the bench's and ends the connection. */
const MAX_PAYLOAD = 1_000_000;

/**
 * @typedef {import('node:net').Socket} Socket
 * @typedef {{ rooms?: boolean }} FloorFeatures
 */

/**
 * Header of one unmasked, final server frame (servers never mask).
 * @param {number} opcode
 * @param {number} length payload bytes
 */
function frameHeader(opcode, length) {
  if (length < 126) return Buffer.from([0x80 | opcode, length]);
  if (length < 65_536) return Buffer.from([0x80 | opcode, 126, length >> 8, length & 0xff]);
  const header = Buffer.alloc(10);
  header[0] = 0x80 | opcode;
  header[1] = 127;
  header.writeBigUInt64BE(BigInt(length), 2);
  return header;
}

/**
 * @param {number} opcode
 * @param {Buffer} payload
 */
const frame = (opcode, payload) => Buffer.concat([frameHeader(opcode, payload.length), payload]);

/** @param {string} text */
const textFrame = (text) => frame(OPCODE_TEXT, Buffer.from(text));

/** A 20-character id, as engine.io's sids and socket.io's socket ids are. */
const newId = () => randomBytes(15).toString('base64url');

/** @type {import('./server-process.mjs').BuildServer<FloorFeatures>} */
function buildFloorServer(_netModule, httpServer, features) {
  /** Namespace-connected sockets, in CONNECT order, as socket.io's broadcast walks them. */
  /** @type {Set<Socket>} */ const connected = new Set();
  /** @type {Map<string, Set<Socket>>} */ const rooms = new Map([['even', new Set()]]);
  let sessions = 0;
  let connections = 0;

  // Only WebSocket sessions are spoken here; a polling request gets a plain refusal, not a hang.
  httpServer.on('request', (_request, response) => {
    response.writeHead(400).end('the floor server speaks websocket only');
  });

  httpServer.on('upgrade', (request, duplex, head) => {
    // An HTTP server's upgrade stream is its net.Socket (typed as a Duplex).
    const socket = /** @type {Socket} */ (duplex);
    const key = request.headers['sec-websocket-key'];
    if (typeof key !== 'string' || !request.url?.includes('transport=websocket')) return void socket.destroy();
    const accept = createHash('sha1').update(key + WEBSOCKET_GUID).digest('base64');
    const sid = newId();
    // The open packet goes out with the 101, as engine.io sends it right after the upgrade.
    const open = `0{"sid":"${sid}","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":${MAX_PAYLOAD}}`;
    socket.setNoDelay(true);
    socket.write(
      Buffer.concat([
        Buffer.from(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`),
        textFrame(open),
      ]),
    );
    sessions++;
    /** @type {Set<Socket>[]} */ const joined = [];
    const frames = new FrameSplitter(MAX_PAYLOAD);
    /** @type {import('../net/frame-splitter.mjs').FrameListener} */
    const onFrame = (opcode, final, payload) => {
      // The bench's clients never fragment a message; a fragment is ignored rather than guessed at.
      if (!final) return;
      if (opcode === OPCODE_TEXT) {
        // Socket.IO CONNECT to the main namespace ("40", maybe with an auth object): join, reply.
        // Nothing else needs an answer: the clients only ever send "3" in reply to a ping, and
        // we send no pings (the clients have no ping timeout; a heartbeat would only add noise).
        if (payload[0] === 0x34 && payload[1] === 0x30 && (payload.length === 2 || payload[2] === 0x7b)) {
          connected.add(socket);
          joined.push(connected);
          connections++;
          // As io-server.mjs: every second connection joins room "even".
          if (features.rooms && connections % 2 === 0) {
            const even = /** @type {Set<Socket>} */ (rooms.get('even'));
            even.add(socket);
            joined.push(even);
          }
          socket.write(textFrame(`40{"sid":"${newId()}"}`));
        }
      } else if (opcode === OPCODE_PING) socket.write(frame(OPCODE_PONG, payload));
      else if (opcode === OPCODE_CLOSE) socket.destroy();
    };
    /** @param {Buffer} chunk */
    const receive = (chunk) => {
      // a frame larger than any the bench's clients send: not one of them
      if (!frames.split(chunk, onFrame)) socket.destroy();
    };
    socket.on('data', receive);
    socket.on('error', () => {});
    // An HTTP server's sockets allow half-open connections: a client's FIN must end ours too.
    socket.once('end', () => socket.destroy());
    socket.once('close', () => {
      sessions--;
      for (const set of joined) set.delete(socket);
    });
    // Bytes that came with the upgrade request belong to the WebSocket stream.
    if (head.length > 0) receive(head);
  });

  const payload = { text: 'hello everyone', from: 'server' };
  const attachment = Buffer.alloc(1024, 1);
  return {
    clients: () => sessions,
    /** @param {{ count: number, perTurn: number, room?: string, binary?: boolean }} args */
    broadcast: (args) =>
      emitInTurns(args.count, args.perTurn, (index) => {
        const recipients = args.room ? rooms.get(args.room) : connected;
        // Nobody matches (an empty room): nothing to build, nothing to write.
        if (!recipients || recipients.size === 0) return;
        // Exactly socket.io's bytes: an Engine.IO message ("4") holding a Socket.IO EVENT ("2"); a
        // binary event is a BINARY_EVENT header ("5", 1 attachment) then the attachment as a binary
        // frame, here both frames in one buffer so each recipient still costs one write.
        const bytes = args.binary
          ? Buffer.concat([
              textFrame(`451-${JSON.stringify(['blob', index, { _placeholder: true, num: 0 }])}`),
              frame(OPCODE_BINARY, attachment),
            ])
          : textFrame(`42${JSON.stringify(['tick', index, payload])}`);
        for (const recipient of recipients) recipient.write(bytes);
      }),
  };
}

// The module slot names what is measured: node:net's Socket, and nothing on top of it.
await runServerProcess('node:net', 'Socket', buildFloorServer);
