import type { BinaryData } from "./packet";

// Looked up once: Blob exists in browsers and Node 18+, but not in every runtime.
const BlobConstructor: typeof Blob | undefined = typeof Blob === "function" ? Blob : undefined;

/** Buffer, ArrayBuffer, any typed array or DataView, Blob (File is a Blob). */
export function isBinary(value: unknown): value is BinaryData {
  return value instanceof ArrayBuffer || ArrayBuffer.isView(value) || (BlobConstructor !== undefined && value instanceof BlobConstructor);
}

interface WithToJSON {
  toJSON(): unknown;
}

function hasToJSON(value: object): value is WithToJSON {
  return typeof (value as { toJSON?: unknown }).toJSON === "function";
}

export const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Whether `value` holds binary data anywhere JSON serialisation would reach it. Follows the
 * official rules so both encoders choose the binary form for the same values: arrays first, then
 * binary, then one `toJSON` step (not followed again on its direct result), then own keys.
 * Primitives are skipped before recursing: most leaves are primitives.
 */
export function hasBinary(value: unknown, afterToJSON = false): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (Array.isArray(value)) return arrayHasBinary(value);
  if (isBinary(value)) return true;
  if (!afterToJSON && hasToJSON(value)) return hasBinary(value.toJSON(), true);
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (hasOwn.call(record, key)) {
      const item = record[key];
      if (typeof item === "object" && item !== null && hasBinary(item)) return true;
    }
  }
  return false;
}

/** `hasBinary` for an array. */
export function arrayHasBinary(values: readonly unknown[]): boolean {
  for (let i = 0; i < values.length; i++) {
    const item = values[i];
    if (typeof item === "object" && item !== null && hasBinary(item)) return true;
  }
  return false;
}

/** A placeholder as it appears in the JSON of a binary packet. */
export interface Placeholder {
  _placeholder: true;
  num: number;
}

/**
 * Copies `value` with every binary replaced by a numbered placeholder, appending the binaries
 * in depth-first order to `encoded` (whose first item is the packet text, so placeholder n is
 * item n + 1). Mirrors the official deconstruction (including its `toJSON` handling) so the JSON
 * and the attachment order are byte-identical.
 */
export function replaceBinaries(value: unknown, encoded: [unknown, ...BinaryData[]], afterToJSON = false): unknown {
  if (!value) return value;
  if (isBinary(value)) {
    const placeholder: Placeholder = { _placeholder: true, num: encoded.length - 1 };
    encoded.push(value);
    return placeholder;
  }
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = replaceBinaries(value[i], encoded);
    return copy;
  }
  if (typeof value === "object" && !(value instanceof Date)) {
    if (!afterToJSON && hasToJSON(value)) return replaceBinaries(value.toJSON(), encoded, true);
    const copy: Record<string, unknown> = {};
    for (const key in value) {
      if (hasOwn.call(value, key)) copy[key] = replaceBinaries((value as Record<string, unknown>)[key], encoded);
    }
    return copy;
  }
  return value;
}
