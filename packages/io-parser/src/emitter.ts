import ComponentEmitter from "component-emitter";

/** Listener signatures by event name (an interface works: no index signature needed). */
export type EventsMap<Events> = { [E in keyof Events]: (...args: never[]) => void };

/**
 * The API of component-emitter@2, typed by an events map. The dependency is CommonJS and untyped
 * in its events; this interface and the constructor below give it types without wrapping calls.
 */
export interface TypedEmitter<Events extends EventsMap<Events>> {
  on<E extends keyof Events & string>(event: E, listener: Events[E]): this;
  addEventListener<E extends keyof Events & string>(event: E, listener: Events[E]): this;
  once<E extends keyof Events & string>(event: E, listener: Events[E]): this;
  /** Removes one listener, every listener of one event, or every listener. */
  off<E extends keyof Events & string>(event?: E, listener?: Events[E]): this;
  removeListener<E extends keyof Events & string>(event?: E, listener?: Events[E]): this;
  removeEventListener<E extends keyof Events & string>(event?: E, listener?: Events[E]): this;
  removeAllListeners<E extends keyof Events & string>(event?: E): this;
  emit<E extends keyof Events & string>(event: E, ...args: Parameters<Events[E]>): this;
  listeners<E extends keyof Events & string>(event: E): Array<Events[E]>;
  listenerCount(event?: keyof Events & string): number;
  hasListeners(event?: keyof Events & string): boolean;
}

/** component-emitter@2's constructor, typed: `class X extends TypedEmitter<{ ev: (a: T) => void }>`. */
export const TypedEmitter = ComponentEmitter as unknown as new <Events extends EventsMap<Events>>() => TypedEmitter<Events>;

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
