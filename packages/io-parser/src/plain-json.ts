import { isBinary } from "./binary";
import type { BinaryData } from "./packet";

/**
 * A JSON serialiser for small, plain values: the arguments of a typical event. Binaries become
 * `{"_placeholder":true,"num":n}` and are appended to the caller's list, so the output is exactly
 * what the official deconstruct-then-JSON.stringify produces. It gives up (returns undefined) on
 * anything else that is not plain data - objects with toJSON, class instances, BigInt - or when
 * the value is large or deep; giving up is cheap (bounded by the budget) and the caller then
 * scans and stringifies the usual way. One walk replaces the binary scan, the copy and the
 * stringify of the usual way.
 */

/** Most values (array items, object entries) serialised before giving up: past this, JSON.stringify wins. */
const NODE_BUDGET = 64;
/** Deepest nesting handled; deeper values go the usual way. */
const MAX_DEPTH = 8;
/** Longer strings are escaped by JSON.stringify, faster than a JS loop over their characters. */
const MAX_SCANNED_STRING = 64;

/** Where found binaries go; placeholder n is the binary at index n + 1 (index 0 holds the text). */
export type AttachmentSink = [unknown, ...BinaryData[]];

let budget = 0;

/**
 * JSON for `value` if it is small plain data, otherwise undefined (and the sink is left with
 * its first item only). Binaries found are pushed to `sink`.
 */
export function stringifyPlain(value: unknown, sink: AttachmentSink): string | undefined {
  // Saved and restored: a getter may, however unlikely, encode another packet meanwhile.
  const outerBudget = budget;
  budget = NODE_BUDGET;
  try {
    const json = serialise(value, 0, sink);
    if (json === undefined) sink.length = 1;
    return json;
  } finally {
    budget = outerBudget;
  }
}

function quote(text: string): string {
  if (text.length > MAX_SCANNED_STRING) return JSON.stringify(text);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // Quote, backslash, control characters and any surrogate: leave the escaping to JSON.stringify.
    if (code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff)) {
      return JSON.stringify(text);
    }
  }
  return '"' + text + '"';
}

function hasToJSON(value: object): boolean {
  return typeof (value as { toJSON?: unknown }).toJSON === "function";
}

/** Values JSON leaves out of objects and writes as null in arrays. */
function isSkipped(value: unknown): boolean {
  return value === undefined || typeof value === "function" || typeof value === "symbol";
}

function placeholder(binary: BinaryData, sink: AttachmentSink): string {
  sink.push(binary);
  return '{"_placeholder":true,"num":' + (sink.length - 2) + "}";
}

function serialise(value: unknown, depth: number, sink: AttachmentSink): string | undefined {
  switch (typeof value) {
    case "string":
      return quote(value);
    case "number":
      return Number.isFinite(value) ? "" + value : "null";
    case "boolean":
      return value ? "true" : "false";
    case "object":
      if (value === null) return "null";
      if (depth >= MAX_DEPTH) return undefined;
      if (Array.isArray(value)) return hasToJSON(value) ? undefined : serialiseArray(value, depth + 1, sink);
      {
        const prototype: unknown = Object.getPrototypeOf(value);
        if (prototype === Object.prototype || prototype === null) {
          return hasToJSON(value) ? undefined : serialiseObject(value as Record<string, unknown>, depth + 1, sink);
        }
      }
      // Binary comes before toJSON, as in the official scan (Buffer has a toJSON).
      return isBinary(value) ? placeholder(value, sink) : undefined;
    default:
      // BigInt makes JSON.stringify throw; let it, on the usual path.
      return undefined;
  }
}

function serialiseArray(items: readonly unknown[], depth: number, sink: AttachmentSink): string | undefined {
  budget -= items.length;
  if (budget < 0) return undefined;
  let out = "[";
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out += ",";
    const item = items[i];
    if (isSkipped(item)) {
      out += "null";
      continue;
    }
    const json = serialise(item, depth, sink);
    if (json === undefined) return undefined;
    out += json;
  }
  return out + "]";
}

function serialiseObject(record: Record<string, unknown>, depth: number, sink: AttachmentSink): string | undefined {
  const keys = Object.keys(record);
  budget -= keys.length;
  if (budget < 0) return undefined;
  let out = "{";
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    // The official binary path copies objects by assignment, which turns this key into a prototype.
    if (key === "__proto__") return undefined;
    const item = record[key];
    if (isSkipped(item)) continue;
    const json = serialise(item, depth, sink);
    if (json === undefined) return undefined;
    out += (first ? "" : ",") + quote(key) + ":" + json;
    first = false;
  }
  return out + "}";
}
