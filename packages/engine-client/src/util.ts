/** Timer functions a socket or transport uses, swappable so fake-timer libraries and `useNativeTimers` work. */
export interface TimerFunctions {
  setTimeoutFn: typeof setTimeout;
  clearTimeoutFn: typeof clearTimeout;
}

// Captured at load time: `useNativeTimers` must survive a test framework that later replaces the globals.
const nativeSetTimeout = globalThis.setTimeout;
const nativeClearTimeout = globalThis.clearTimeout;

/** Installs `setTimeoutFn` / `clearTimeoutFn` on `target` (the official helper, reused by io-client's Manager). */
export function installTimerFunctions(target: object, opts: { useNativeTimers?: boolean }): void {
  const timers = target as TimerFunctions;
  const native = opts.useNativeTimers;
  timers.setTimeoutFn = (native ? nativeSetTimeout : globalThis.setTimeout).bind(globalThis) as typeof setTimeout;
  timers.clearTimeoutFn = (native ? nativeClearTimeout : globalThis.clearTimeout).bind(globalThis);
}

/**
 * Runs `callback` after the current task, before any timer: used to leave the stack of a user listener so its
 * exceptions do not unwind through the socket. The second parameter exists for signature compatibility.
 */
export function nextTick(callback: () => void, _setTimeoutFn?: typeof setTimeout): void {
  queueMicrotask(callback);
}

/** setTimeout overflows (and fires at once) above 2^31-1 ms; a hostile handshake must not be able to do that. */
export const MAX_TIMER_DELAY = 0x7fffffff;

/** Number of UTF-8 bytes of `text`, without allocating. */
export function utf8Length(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) length += 1;
    else if (code < 0x800) length += 2;
    else if (code >= 0xd800 && code < 0xdc00 && i + 1 < text.length) {
      // a surrogate pair: one 4-byte code point
      length += 4;
      i++;
    } else length += 3;
  }
  return length;
}

/** A short value that changes on every call: the cache-busting `t` query parameter. */
export function randomString(): string {
  return Date.now().toString(36).slice(3) + Math.random().toString(36).slice(2, 5);
}
