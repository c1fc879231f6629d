/**
 * Runs deferred work once per event-loop turn: every socket or transport that wrote during the turn
 * is flushed by one shared setImmediate, so bursts coalesce into a single syscall per connection.
 */

export interface DeferredFlush {
  /** True while the item waits in the queue; owned by the scheduler. */
  flushQueued: boolean;
  runDeferredFlush(): void;
}

let queue: DeferredFlush[] = [];
let spare: DeferredFlush[] = [];
let scheduled = false;

export function deferFlush(item: DeferredFlush): void {
  if (item.flushQueued) return;
  item.flushQueued = true;
  queue.push(item);
  if (!scheduled) {
    scheduled = true;
    setImmediate(runQueue);
  }
}

function runQueue(): void {
  scheduled = false;
  const items = queue;
  queue = spare;
  let failure: { error: unknown } | null = null;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    item.flushQueued = false;
    try {
      item.runDeferredFlush();
    } catch (error) {
      // one throwing listener must not keep the other connections from flushing; it still surfaces below
      failure ??= { error };
    }
  }
  items.length = 0;
  spare = items;
  if (failure) throw failure.error;
}

/** Releases a cork at the end of the turn (the 101 response then leaves with the open packet). */
class CorkRelease implements DeferredFlush {
  flushQueued = false;
  constructor(private readonly stream: { uncork(): void }) {}
  runDeferredFlush(): void {
    this.stream.uncork();
  }
}

/** Corks a writable now and uncorks it once at the end of the current event-loop turn. */
export function corkForThisTurn(stream: { cork(): void; uncork(): void }): void {
  stream.cork();
  deferFlush(new CorkRelease(stream));
}
