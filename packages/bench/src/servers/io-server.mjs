// A Socket.IO server in its own process, for socket.io or @sockwave/io-server (same API):
//   node io-server.mjs <module name> <features JSON>

import { emitInTurns } from './probes.mjs';
import { runServerProcess } from './server-process.mjs';

/**
 * @typedef {{ echo?: boolean, rooms?: boolean, transports?: string[] }} ServerFeatures
 * @typedef {{ emit(event: string, ...args: unknown[]): unknown }} Emitter
 * @typedef {{
 *   on(event: string, listener: (...args: any[]) => void): unknown,
 *   join(room: string): unknown,
 * }} ServerSocket
 * @typedef {Emitter & {
 *   on(event: 'connection', listener: (socket: ServerSocket) => void): unknown,
 *   to(room: string): Emitter,
 *   engine: { clientsCount: number },
 * }} IoServer
 */

/** @type {import('./server-process.mjs').BuildServer<ServerFeatures>} */
function buildIoServer(module, httpServer, features) {
  const Server = /** @type {new (http: unknown, options: object) => IoServer} */ (module.Server);
  // serveClient off: the bench measures the realtime path, not static file serving.
  const io = new Server(httpServer, {
    serveClient: false,
    ...(features.transports ? { transports: features.transports } : {}),
  });
  let connections = 0;
  io.on('connection', (socket) => {
    connections++;
    if (features.rooms && connections % 2 === 0) socket.join('even');
    if (features.echo) socket.on('echo', (value, ack) => ack(value));
  });
  const payload = { text: 'hello everyone', from: 'server' };
  const attachment = Buffer.alloc(1024, 1);
  return {
    // Engine sessions, not namespace sockets: a session lingering after its socket left is a leak too.
    clients: () => io.engine.clientsCount,
    /** @param {{ count: number, perTurn: number, room?: string, binary?: boolean }} args */
    broadcast: (args) =>
      emitInTurns(args.count, args.perTurn, (index) => {
        const target = args.room ? io.to(args.room) : io;
        if (args.binary) target.emit('blob', index, attachment);
        else target.emit('tick', index, payload);
      }),
  };
}

await runServerProcess('socket.io', 'Server', buildIoServer);
