// engine.io-parser 2 lets the callback stand in for any optional argument before it:
// encodePacket(packet, cb), encodePacket(packet, true, cb), encodePacket(packet, true, false, cb).

/** Splits arguments at the first function: the optional values before it, and the callback. */
export function splitAtCallback<Callback>(name: string, args: readonly unknown[]): { optional: unknown[]; callback: Callback } {
  const index = args.findIndex((arg) => typeof arg === "function");
  if (index === -1) throw new TypeError(`engine-parser/v3: ${name} needs a callback as its last argument`);
  return { optional: args.slice(0, index), callback: args[index] as Callback };
}
