// Base64 for the browser build, which has no Buffer, through the platform's btoa/atob (the
// smallest code for the bundle). Decoding stays as lenient as Node's Buffer: atob alone throws on
// stray characters, so the input is first reduced to what Buffer would read: the URL-safe alphabet
// mapped to the standard one, anything else skipped, nothing read after "=", no lone last sextet.

const CHUNK = 0x8000; // bytes per String.fromCharCode call, well under engines' argument limits

/** Base64 through the platform's btoa (one latin1 char per byte), the smallest and fastest way. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[]);
  }
  return btoa(binary);
}

export function base64ToBytes(base64: string): Uint8Array {
  let sextets = base64.split("=", 1)[0]!.replace(/-/g, "+").replace(/_/g, "/").replace(/[^A-Za-z0-9+/]/g, "");
  if (sextets.length % 4 === 1) sextets = sextets.slice(0, -1);
  const binary = atob(sextets);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
