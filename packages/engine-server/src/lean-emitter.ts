import { EventEmitter } from "node:events";

/**
 * EventEmitter plumbing for per-connection objects. `new EventEmitter()` gives every instance a
 * `{ __proto__: null }` listener table, which V8 keeps in dictionary mode (~220 bytes even when empty).
 * Classes set up with `inheritEventEmitter` skip that constructor: Node's EventEmitter methods create the
 * table on the first `on()`, or the class installs a fast-mode `ListenerTable` itself.
 */

/** Node's listener type, for the untyped fallback overloads of typed emitters. */
export type EmitterListener = Parameters<EventEmitter["on"]>[1];

type ListenerTableConstructor = new () => Record<string, unknown>;

/** A listener table with a null-prototype parent: no inherited keys, yet a fast-mode object. */
export const ListenerTable = function ListenerTable(): void {} as unknown as ListenerTableConstructor;
ListenerTable.prototype = Object.create(null) as object;

/** What EventEmitter keeps on an instance. */
export interface EmitterState {
  _events?: Record<string, unknown>;
  _eventsCount?: number;
}

/** Makes instances of `target` EventEmitters (prototype chain and statics) without its constructor. */
export function inheritEventEmitter(target: abstract new (...args: never[]) => object): void {
  Object.setPrototypeOf(target.prototype, EventEmitter.prototype);
  Object.setPrototypeOf(target, EventEmitter);
}

/** `emitter.listenerCount(type) > 0` without the method call, for per-message checks. */
export function hasListeners(emitter: object, type: string): boolean {
  const events = (emitter as EmitterState)._events;
  return events !== undefined && events[type] !== undefined;
}

/**
 * Gives an emitter that has no listeners (yet) a fast-mode listener table in place of Node's dictionary-mode
 * `{ __proto__: null }` one: for long-lived emitters we do not construct ourselves (ws's WebSocket).
 */
export function useFastListenerTable(emitter: object): void {
  const state = emitter as EmitterState;
  if (state._eventsCount === 0) state._events = new ListenerTable();
}
