// Promises the load generators resolve from outside, and deadlines on them: every wait in the
// bench ends, successfully or with an error naming what did not happen.

/**
 * @template T
 * @returns {{ promise: Promise<T>, resolve: (value: T) => void, reject: (error: Error) => void }}
 */
export function createSignal() {
  /** @type {(value: T) => void} */ let resolve = () => {};
  /** @type {(error: Error) => void} */ let reject = () => {};
  const promise = new Promise((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  // A signal nobody awaits any more (its session was closed) must not crash the process.
  promise.catch(() => {});
  return { promise, resolve, reject };
}

/**
 * @template T
 * @param {Promise<T>} promise
 * @param {number} timeoutMs
 * @param {string} what
 * @returns {Promise<T>}
 */
export function withDeadline(promise, timeoutMs, what) {
  /** @type {NodeJS.Timeout | undefined} */ let timer;
  const expired = new Promise((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  return /** @type {Promise<T>} */ (Promise.race([promise, expired])).finally(() => clearTimeout(timer));
}
