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

/**
 * Polls `condition` until it holds or `timeoutMs` passes.
 * @param {() => boolean} condition
 * @param {number} timeoutMs
 * @param {string} what for the error message
 */
export async function waitUntil(condition, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
