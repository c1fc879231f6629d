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
