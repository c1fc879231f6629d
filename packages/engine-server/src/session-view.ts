/**
 * engine.io exposes its open sessions as a plain object keyed by session id (`server.clients`). Adding and
 * deleting thousands of random keys on an object is costly (every key is interned, the dictionary rehashes),
 * so the server keeps its sessions in a Map and `clients` is a live object view of that Map for the
 * applications that read it: `clients[id]`, `id in clients`, `Object.keys(clients)`, `for...in` all work.
 */
export function objectView<T>(map: Map<string, T>): Record<string, T> {
  const descriptor = (value: T): PropertyDescriptor => ({ value, writable: true, enumerable: true, configurable: true });
  return new Proxy(Object.create(null) as Record<string, T>, {
    get: (_target, key) => (typeof key === "string" ? map.get(key) : undefined),
    has: (_target, key) => typeof key === "string" && map.has(key),
    ownKeys: () => [...map.keys()],
    getOwnPropertyDescriptor: (_target, key) => {
      const value = typeof key === "string" ? map.get(key) : undefined;
      return value === undefined ? undefined : descriptor(value);
    },
    set: (_target, key, value: T) => {
      if (typeof key !== "string") return false;
      map.set(key, value);
      return true;
    },
    deleteProperty: (_target, key) => {
      if (typeof key === "string") map.delete(key);
      return true;
    },
    // a property defined some other way would not be in the Map: refused rather than silently lost
    defineProperty: () => false,
  });
}
