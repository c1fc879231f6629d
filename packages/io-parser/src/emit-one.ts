import type { EventsMap, TypedEmitter } from "./emitter";

/** component-emitter@2 keeps listeners in `_callbacks`, a Map of event name to listener array. */
interface ListenerStore {
  _callbacks?: unknown;
}

/**
 * Calls the listeners of `event` with one argument. Same semantics as `emit` (listeners added or
 * removed meanwhile do not change this round), without the rest/spread and copy `emit` does when
 * there is a single listener: the hot path of a decoder owned by one socket.
 */
export function emitOne<Events extends EventsMap<Events>, E extends keyof Events & string>(
  emitter: TypedEmitter<Events>,
  event: E,
  arg: Parameters<Events[E]>[0],
): void {
  const store = (emitter as ListenerStore)._callbacks;
  if (!(store instanceof Map)) {
    // Another emitter version: use its own emit.
    (emitter.emit as unknown as (this: unknown, event: string, arg: unknown) => unknown).call(emitter, event, arg);
    return;
  }
  const listeners = store.get(event) as Array<(this: unknown, arg: unknown) => void> | undefined;
  if (listeners === undefined) return;
  if (listeners.length === 1) {
    listeners[0]!.call(emitter, arg);
    return;
  }
  for (const listener of listeners.slice()) listener.call(emitter, arg);
}
