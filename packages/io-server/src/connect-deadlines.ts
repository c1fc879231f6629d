/** Something that must connect to a namespace before its deadline. */
export interface AwaitingConnect {
  _onConnectTimeout(): void;
}

/**
 * The connect timeouts of every pending client, with one timer for all of them. Every client gets
 * the same delay, so insertion order is deadline order: the timer only ever waits for the oldest.
 * A client that connects is only forgotten: the timer stays armed (unref'd) and, when it fires,
 * re-arms for the oldest remaining client or stops. Clearing and re-creating it whenever the queue
 * runs empty would cost a timer per handshake under a steady trickle of connections.
 */
export class ConnectDeadlines {
  private readonly deadlines = new Map<AwaitingConnect, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly delay: () => number) {}

  add(client: AwaitingConnect): void {
    this.deadlines.set(client, Date.now() + this.delay());
    if (!this.timer) this.schedule();
  }

  delete(client: AwaitingConnect): void {
    this.deadlines.delete(client);
  }

  /** Forgets every pending client without timing them out (server shutdown). */
  clear(): void {
    this.deadlines.clear();
    this.stop();
  }

  private stop(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private schedule(): void {
    const oldest = this.deadlines.values().next();
    if (oldest.done) return;
    this.timer = setTimeout(() => this.expire(), Math.max(0, oldest.value - Date.now()));
    // A pending connect timeout alone must not keep the process alive.
    this.timer.unref();
  }

  private expire(): void {
    this.timer = undefined;
    const now = Date.now();
    for (const [client, deadline] of this.deadlines) {
      if (deadline > now) break;
      this.deadlines.delete(client);
      client._onConnectTimeout();
    }
    if (!this.timer) this.schedule();
  }
}
