/** The error a failed conformance check throws: its message says what was expected and what came. */
export class ConformanceError extends Error {
  override readonly name = "ConformanceError";
}

/** Throws unless `condition` holds. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ConformanceError(message);
}

/** Throws unless `actual` and `expected` are the same JSON value (key order of objects ignored). */
export function assertEqual(actual: unknown, expected: unknown, what: string): void {
  const a = canonical(actual);
  const e = canonical(expected);
  if (a !== e) throw new ConformanceError(`${what}: expected ${e}, got ${a}`);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner instanceof Set) return [...inner].map(String).sort();
    if (inner !== null && typeof inner === "object" && !Array.isArray(inner)) {
      const sorted: Record<string, unknown> = {};
      for (const key of Object.keys(inner).sort()) sorted[key] = (inner as Record<string, unknown>)[key];
      return sorted;
    }
    return inner;
  }) ?? "undefined";
}

/** Sorts a copy of a list of strings (answers arrive in any order across nodes). */
export function sorted(values: readonly unknown[]): string[] {
  return values.map(String).sort();
}

/**
 * Resolves with `promise`, or rejects with a message naming `what` after `ms`. Only a guard against
 * hanging forever: no check depends on how fast anything happens.
 */
export function within<T>(promise: Promise<T>, what: string, ms = 5000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ConformanceError(`gave up waiting for ${what} (after ${ms} ms)`)), ms);
  });
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
}

/** Resolves once `condition()` holds, checking again every few milliseconds (guarded by `within`). */
export async function eventually(condition: () => boolean | Promise<boolean>, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new ConformanceError(`gave up waiting for ${what} (after ${ms} ms)`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
