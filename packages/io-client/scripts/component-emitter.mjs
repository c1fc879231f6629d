// Stands in for component-emitter@2 (CommonJS) in the minified bundles: the same behaviour as an ES module,
// which spares the bundle esbuild's CommonJS interop helpers. Listeners live in `_callbacks`, a Map from event
// name to an array, as in component-emitter (io-parser's emitOne reads it); `emit` runs a copy of the array.
export default class Emitter {
  constructor() {
    this._callbacks = new Map();
  }

  on(event, listener) {
    const listeners = this._callbacks.get(event) ?? [];
    listeners.push(listener);
    this._callbacks.set(event, listeners);
    return this;
  }

  once(event, listener) {
    const wrapper = (...args) => {
      this.off(event, wrapper);
      listener.apply(this, args);
    };
    wrapper.fn = listener;
    return this.on(event, wrapper);
  }

  off(event, listener) {
    if (event === undefined && listener === undefined) this._callbacks.clear();
    else if (listener === undefined) this._callbacks.delete(event);
    else {
      const listeners = this._callbacks.get(event);
      if (listeners) {
        const index = listeners.findIndex((candidate) => candidate === listener || candidate.fn === listener);
        if (index !== -1) listeners.splice(index, 1);
        if (listeners.length === 0) this._callbacks.delete(event);
      }
    }
    return this;
  }

  emit(event, ...args) {
    const listeners = this._callbacks.get(event);
    if (listeners) for (const listener of [...listeners]) listener.apply(this, args);
    return this;
  }

  listeners(event) {
    return this._callbacks.get(event) ?? [];
  }

  listenerCount(event) {
    if (event) return this.listeners(event).length;
    let count = 0;
    for (const listeners of this._callbacks.values()) count += listeners.length;
    return count;
  }

  hasListeners(event) {
    return this.listenerCount(event) > 0;
  }
}

const prototype = Emitter.prototype;
prototype.addEventListener = prototype.on;
prototype.removeListener = prototype.removeEventListener = prototype.removeAllListeners = prototype.off;
