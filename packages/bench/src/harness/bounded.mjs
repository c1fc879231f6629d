// Bounded concurrency for opening many connections: the load generators' sessions and the client
// suite's client sockets.

/**
 * Runs `task` `count` times with at most `concurrency` in flight, starting no more once
 * `shouldStop` says so: a server that fails handshakes fails fast instead of timing out 1000 times.
 * @param {number} count
 * @param {number} concurrency
 * @param {() => Promise<void>} task
 * @param {() => boolean} shouldStop
 */
export async function runBounded(count, concurrency, task, shouldStop) {
  let started = 0;
  const worker = async () => {
    while (started < count && !shouldStop()) {
      started++;
      await task();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}
