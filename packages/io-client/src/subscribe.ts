/** Anything with `on`/`off` in the component-emitter style. */
interface Listenable<Listener> {
  on(event: string, listener: Listener): unknown;
  off(event: string, listener: Listener): unknown;
}

/** Adds a listener and returns the function that removes it, so owners can drop all their subscriptions at once. */
export function subscribe<Listener>(target: Listenable<Listener>, event: string, listener: Listener): () => void {
  target.on(event, listener);
  return () => {
    target.off(event, listener);
  };
}
