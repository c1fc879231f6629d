/**
 * A JSON serialiser for small, plain values: the arguments of a typical event. It produces exactly
 * what JSON.stringify would, and gives up (returns undefined) on anything that is not plain data -
 * binaries, objects with toJSON, class instances, BigInt - or when the value is large or deep.
 * Giving up is cheap (bounded by the budget); the caller then scans and stringifies the usual way.
 * Walking the value once here also proves it holds no binary, so no separate scan is needed.
 */

/** Most values (array items, object entries) serialised before giving up: past this, JSON.stringify wins. */
const NODE_BUDGET = 64;
/** Deepest nesting handled; deeper values go the usual way. */
const MAX_DEPTH = 8;
/** Longer strings are escaped by JSON.stringify, faster than a JS loop over their characters. */
const MAX_SCANNED_STRING = 64;

let budget = 0;

/** JSON for `value` if it is small plain data, otherwise undefined. */
export function stringifyPlain(value: unknown): string | undefined {
  budget = NODE_BUDGET;
  return serialise(value, 0);
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

function serialise(value: unknown, depth: number): string | undefined {
  switch (typeof value) {
    case "string":
      return quote(value);
    case "number":
      return Number.isFinite(value) ? "" + value : "null";
    case "boolean":
      return value ? "true" : "false";
    case "object":
      if (value === null) return "null";
      if (depth >= MAX_DEPTH || hasToJSON(value)) return undefined;
      if (Array.isArray(value)) return serialiseArray(value, depth + 1);
      {
        const prototype: unknown = Object.getPrototypeOf(value);
        if (prototype !== Object.prototype && prototype !== null) return undefined;
      }
      return serialiseObject(value as Record<string, unknown>, depth + 1);
    default:
      // BigInt makes JSON.stringify throw; let it, on the usual path.
      return undefined;
  }
}

function serialiseArray(items: readonly unknown[], depth: number): string | undefined {
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
    const json = serialise(item, depth);
    if (json === undefined) return undefined;
    out += json;
  }
  return out + "]";
}

function serialiseObject(record: Record<string, unknown>, depth: number): string | undefined {
  const keys = Object.keys(record);
  budget -= keys.length;
  if (budget < 0) return undefined;
  let out = "{";
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const item = record[key];
    if (isSkipped(item)) continue;
    const json = serialise(item, depth);
    if (json === undefined) return undefined;
    out += (first ? "" : ",") + quote(key) + ":" + json;
    first = false;
  }
  return out + "}";
}
