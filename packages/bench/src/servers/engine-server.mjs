// An Engine.IO server in its own process, for engine.io or @sockwave/engine-server (same API):
//   node engine-server.mjs <module name> <features JSON>

import { runServerProcess } from './server-process.mjs';

/**
 * @typedef {{ transports?: string[] }} EngineFeatures
 * @typedef {{ clientsCount: number }} EngineServer
 */

/** @type {import('./server-process.mjs').BuildServer<EngineFeatures>} */
function buildEngineServer(module, httpServer, features) {
  const attach = /** @type {(http: unknown, options: object) => EngineServer} */ (module.attach);
  const engine = attach(httpServer, features.transports ? { transports: features.transports } : {});
  return { clients: () => engine.clientsCount };
}

await runServerProcess('engine.io', 'attach', buildEngineServer);
