import { randomFillSync } from "node:crypto";

// Ids are 15 random bytes in base64url (20 characters), like engine session ids. Random bytes are
// drawn in batches: one system call per 256 ids instead of one per id.
const ID_BYTES = 15;
const BATCH = 256;
const pool = Buffer.allocUnsafe(ID_BYTES * BATCH);
let next = BATCH;

/** A fresh 20-character id of `[A-Za-z0-9_-]`. */
export function generateId(): string {
  if (next === BATCH) {
    randomFillSync(pool);
    next = 0;
  }
  const start = next++ * ID_BYTES;
  return pool.toString("base64url", start, start + ID_BYTES);
}
