/**
 * Exponential backoff with jitter for reconnection delays: `min * factor^attempt`, spread by up to
 * `jitter` (0..1) of itself in either direction, capped at `max`.
 */
export class Backoff {
  /** Attempts made since the last reset; the next delay uses this as the exponent. */
  attempts = 0;

  constructor(
    public min: number,
    public max: number,
    public jitter: number,
    private readonly factor = 2,
  ) {}

  /** The delay before the next attempt, in milliseconds; counts the attempt. */
  duration(): number {
    let delay = this.min * Math.pow(this.factor, this.attempts++);
    // After ~1000 attempts the power overflows; without this the jitter would turn it into NaN (= 0 ms).
    if (!Number.isFinite(delay)) delay = this.max;
    const jitter = this.jitter > 0 && this.jitter <= 1 ? this.jitter : 0;
    if (jitter) {
      const random = Math.random();
      const deviation = Math.floor(random * jitter * delay);
      delay = (Math.floor(random * 10) & 1) === 0 ? delay - deviation : delay + deviation;
    }
    return Math.floor(Math.max(0, Math.min(delay, this.max)));
  }

  reset(): void {
    this.attempts = 0;
  }
}
