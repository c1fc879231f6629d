// Child side of the IPC protocol in child-process.mjs: announce readiness, answer requests,
// and exit as soon as the parent goes away (no orphan keeps a port or the CPU busy).

/**
 * @typedef {(args: any) => unknown} Handler
 */

/** @param {unknown} info */
export function announceReady(info) {
  process.send?.({ ready: true, info });
}

/** @param {unknown} error */
export function announceFailure(error) {
  const message = error instanceof Error ? error.message : String(error);
  process.send?.({ ready: false, error: message }, () => process.exit(1));
}

/** @param {Record<string, Handler>} handlers */
export function answerRequests(handlers) {
  process.on('disconnect', () => process.exit(0));
  process.on('message', async (message) => {
    const { id, cmd, args } = /** @type {import('./child-process.mjs').RequestMessage} */ (message);
    // A clean exit on request, so --cpu-prof can write its profile (a kill would lose it).
    if (cmd === 'exit') return void process.send?.({ id, result: null }, () => process.exit(0));
    const handler = handlers[cmd];
    try {
      if (!handler) throw new Error(`unknown command ${cmd}`);
      const result = await handler(args);
      process.send?.({ id, result: result ?? null });
    } catch (error) {
      process.send?.({ id, error: error instanceof Error ? error.message : String(error) });
    }
  });
}
