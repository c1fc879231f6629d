import type { EventEmitter } from "node:events";

/**
 * The arguments of the next `name` event. Unlike `events.once`, it does not listen to `error`
 * (which would change how a socket reports errors).
 */
export function nextEvent(emitter: EventEmitter, name: string): Promise<unknown[]> {
  return new Promise((resolve) => emitter.once(name, (...args: unknown[]) => resolve(args)));
}
