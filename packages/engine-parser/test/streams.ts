// Runs inputs through a web TransformStream and collects what comes out.
export async function throughStream<I, O>(stream: TransformStream<I, O>, inputs: readonly I[]): Promise<O[]> {
  const outputs: O[] = [];
  const collecting = stream.readable.pipeTo(
    new WritableStream<O>({
      write(chunk) {
        outputs.push(chunk);
      },
    }),
  );
  const writer = stream.writable.getWriter();
  for (const input of inputs) await writer.write(input);
  await writer.close();
  await collecting;
  return outputs;
}

export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** Splits bytes into chunks at the given cut points (sorted or not, out-of-range ignored). */
export function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.filter((cut) => cut > 0 && cut < bytes.length))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.subarray(start, point));
    start = point;
  }
  return chunks;
}
