import { randomFillSync } from "node:crypto";

/** 15 random bytes are exactly 20 base64url characters: the id format sticky routing depends on. */
const ID_BYTES = 15;
const POOL_IDS = 256;

let pool = Buffer.allocUnsafe(0);
let offset = 0;

/** A fresh session id: 20 characters of `[A-Za-z0-9_-]`, drawn from a pooled CSPRNG buffer. */
export function generateSessionId(): string {
  if (offset + ID_BYTES > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(ID_BYTES * POOL_IDS));
    offset = 0;
  }
  const id = pool.toString("base64url", offset, offset + ID_BYTES);
  offset += ID_BYTES;
  return id;
}
