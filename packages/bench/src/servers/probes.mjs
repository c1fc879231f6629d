// What the parent measures inside a server process: its CPU time over an interval and its heap
// after a forced, settled garbage collection (the process runs with --expose-gc).

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

function cpuMicros() {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

export function createProbes() {
  let cpuStart = 0;
  return {
    'cpu-begin': () => {
      cpuStart = cpuMicros();
    },
    /** @returns {number} CPU microseconds since cpu-begin */
    'cpu-end': () => cpuMicros() - cpuStart,
    /**
     * Memory once collections stop freeing any: the JS heap, and the Buffer/ArrayBuffer memory
     * outside it (where a server could otherwise hide per-connection state from a heap figure).
     * @returns {Promise<{ heapUsed: number, arrayBuffers: number }>}
     */
    heap: async () => {
      const gc = /** @type {() => void} */ (globalThis.gc);
      // Several rounds with a turn in between: finalizers and weak references are cleared one
      // collection after the objects they watch.
      let previous = Number.POSITIVE_INFINITY;
      for (let round = 0; round < 10; round++) {
        gc();
        await nextTurn();
        const used = process.memoryUsage().heapUsed;
        if (round >= 3 && Math.abs(previous - used) < 4096) break;
        previous = used;
      }
      const { heapUsed, arrayBuffers } = process.memoryUsage();
      return { heapUsed, arrayBuffers };
    },
  };
}

/**
 * Runs `count` calls of `emitOnce`, `perTurn` of them synchronously in each event-loop turn:
 * perTurn 1 is a steady stream, 10 is a burst the server may coalesce.
 * @param {number} count
 * @param {number} perTurn
 * @param {(index: number) => void} emitOnce
 */
export async function emitInTurns(count, perTurn, emitOnce) {
  for (let index = 0; index < count; ) {
    for (let inTurn = 0; inTurn < perTurn && index < count; inTurn++) emitOnce(index++);
    await nextTurn();
  }
}
