import { describe, expect, it } from "vitest";
import { Emitter } from "@sockwave/engine-client";

interface Reserved {
  ready: (id: string) => void;
}
interface Listen {
  greet: (name: string, times: number) => void;
}

class Sample extends Emitter<Listen, Listen, Reserved> {
  announce(id: string): void {
    this.emitReserved("ready", id);
  }
}

describe("Emitter", () => {
  it("calls listeners in order with the arguments and `this` bound to the emitter", () => {
    const sample = new Sample();
    const calls: string[] = [];
    sample.on("greet", function (this: unknown, name, times) {
      expect(this).toBe(sample);
      calls.push(`a:${name}:${times}`);
    });
    sample.on("greet", (name) => calls.push(`b:${name}`));
    expect(sample.emit("greet", "x", 2)).toBe(sample);
    expect(calls).toEqual(["a:x:2", "b:x"]);
  });

  it("runs once listeners a single time and lets off() remove them by the original function", () => {
    const sample = new Sample();
    let count = 0;
    const listener = (): void => {
      count++;
    };
    sample.once("greet", listener);
    sample.emit("greet", "a", 1);
    sample.emit("greet", "a", 1);
    expect(count).toBe(1);
    sample.once("greet", listener);
    sample.off("greet", listener);
    sample.emit("greet", "a", 1);
    expect(count).toBe(1);
    expect(sample.hasListeners("greet")).toBe(false);
  });

  it("removes one registration, all of an event, or everything", () => {
    const sample = new Sample();
    const listener = (): void => {};
    sample.on("greet", listener).on("greet", listener).on("ready", listener);
    sample.off("greet", listener);
    expect(sample.listeners("greet")).toEqual([listener]);
    sample.removeAllListeners("greet");
    expect(sample.hasListeners("greet")).toBe(false);
    expect(sample.hasListeners("ready")).toBe(true);
    sample.removeListener();
    expect(sample.hasListeners("ready")).toBe(false);
  });

  it("emits reserved events through emitReserved and tolerates removal during emit", () => {
    const sample = new Sample();
    const seen: string[] = [];
    const first = (id: string): void => {
      seen.push(`first:${id}`);
      sample.off("ready", second);
    };
    const second = (id: string): void => {
      seen.push(`second:${id}`);
    };
    sample.on("ready", first).on("ready", second);
    sample.announce("42");
    sample.announce("43");
    expect(seen).toEqual(["first:42", "second:42", "first:43"]);
  });

  it("accepts untyped events for untyped emitters", () => {
    const plain = new Emitter<Record<string, (...args: unknown[]) => void>, Record<string, (...args: unknown[]) => void>>();
    const got: unknown[] = [];
    plain.on("anything", (...args) => got.push(...args));
    plain.emit("anything", 1, "two");
    expect(got).toEqual([1, "two"]);
  });
});
