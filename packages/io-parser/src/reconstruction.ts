import { hasOwn, isBinary } from "./binary";
import { DecodeError } from "./errors";
import type { AckPacket, EventPacket } from "./packet";

/** Where one placeholder sits: `container[key]` receives attachment `num`. */
interface PlaceholderSlot {
  container: Record<string | number, unknown>;
  key: string | number;
  num: number;
}

/**
 * Finds every `{"_placeholder":true,"num":n}` in a decoded payload and checks `n` against the
 * declared attachment count, so a bad placeholder is rejected when the text arrives rather than
 * after the attachments were buffered. Walks with an explicit stack: deep nesting cannot overflow
 * the call stack. `fromReviver` guards against what a reviver may build (shared or cyclic objects,
 * binaries) that JSON.parse alone never produces.
 */
export function findPlaceholders(root: object, attachmentCount: number, fromReviver: boolean): PlaceholderSlot[] {
  const slots: PlaceholderSlot[] = [];
  const pending: object[] = [root];
  const seen = fromReviver ? new Set<object>([root]) : undefined;

  const visit = (container: Record<string | number, unknown>, key: string | number, value: unknown): void => {
    if (typeof value !== "object" || value === null) return;
    if ((value as { _placeholder?: unknown })._placeholder === true) {
      const num = (value as { num?: unknown }).num;
      if (typeof num !== "number" || !Number.isInteger(num) || num < 0 || num >= attachmentCount) {
        throw new DecodeError(
          `invalid binary packet: placeholder num ${JSON.stringify(num) ?? String(num)} is not an attachment index ` +
            `(the packet declares ${attachmentCount} attachment${attachmentCount === 1 ? "" : "s"}, numbered from 0)`,
        );
      }
      slots.push({ container, key, num });
      return;
    }
    if (seen !== undefined) {
      if (seen.has(value) || isBinary(value)) return;
      seen.add(value);
    }
    pending.push(value);
  };

  for (let container = pending.pop(); container !== undefined; container = pending.pop()) {
    const record = container as Record<string | number, unknown>;
    if (Array.isArray(container)) {
      for (let i = 0; i < container.length; i++) visit(record, i, container[i]);
    } else {
      for (const key in container) if (hasOwn.call(container, key)) visit(record, key, record[key]);
    }
  }
  return slots;
}

/** A BINARY_EVENT or BINARY_ACK whose text has arrived and whose attachments are being collected. */
export class BinaryReconstruction {
  private readonly attachments: unknown[] = [];

  constructor(
    private readonly packet: EventPacket | AckPacket,
    private readonly expected: number,
    private readonly slots: PlaceholderSlot[],
  ) {}

  get missing(): number {
    return this.expected - this.attachments.length;
  }

  /** Takes one attachment; returns the complete packet once the last one has arrived. */
  add(attachment: unknown): EventPacket | AckPacket | null {
    this.attachments.push(attachment);
    if (this.attachments.length < this.expected) return null;
    for (const { container, key, num } of this.slots) container[key] = this.attachments[num];
    return this.packet;
  }
}
