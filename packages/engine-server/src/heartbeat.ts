/**
 * Shared heartbeat timers. All sockets of a server wait the same delay in a given phase (next ping,
 * pong timeout, protocol 3 timeout), so each phase is a FIFO ordered by deadline: an intrusive
 * doubly-linked list with one timer armed for its head. Adding, refreshing and removing are O(1) and
 * no socket owns a timer.
 */

export interface HeartbeatMember {
  heartbeatPrev: HeartbeatMember | null;
  heartbeatNext: HeartbeatMember | null;
  heartbeatDeadline: number;
  heartbeatQueue: HeartbeatQueue | null;
  onHeartbeatDue(queue: HeartbeatQueue): void;
}

/** Deadlines this close are handled together, so one timer firing serves a burst of sockets. */
const SLACK_MS = 2;

export class HeartbeatQueue {
  private head: HeartbeatMember | null = null;
  private tail: HeartbeatMember | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(readonly delay: number) {}

  /** (Re)starts the member's wait: it becomes due `delay` ms from now. Leaves any other queue. */
  add(member: HeartbeatMember): void {
    member.heartbeatQueue?.remove(member);
    member.heartbeatDeadline = performance.now() + this.delay;
    member.heartbeatQueue = this;
    member.heartbeatPrev = this.tail;
    member.heartbeatNext = null;
    if (this.tail) this.tail.heartbeatNext = member;
    else this.head = member;
    this.tail = member;
    if (this.timer === null) this.arm(member.heartbeatDeadline);
  }

  remove(member: HeartbeatMember): void {
    if (member.heartbeatQueue !== this) return;
    const { heartbeatPrev: prev, heartbeatNext: next } = member;
    if (prev) prev.heartbeatNext = next;
    else this.head = next;
    if (next) next.heartbeatPrev = prev;
    else this.tail = prev;
    member.heartbeatPrev = member.heartbeatNext = null;
    member.heartbeatQueue = null;
    if (this.head === null) this.disarm();
  }

  get isEmpty(): boolean {
    return this.head === null;
  }

  /** Stops the timer and forgets every member (server shutdown). */
  clear(): void {
    while (this.head) this.remove(this.head);
  }

  private arm(deadline: number): void {
    this.timer = setTimeout(fireQueue, Math.max(0, deadline - performance.now()), this);
    this.timer.unref();
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** @internal */
  fire(): void {
    this.timer = null;
    const limit = performance.now() + SLACK_MS;
    let member = this.head;
    let failure: { error: unknown } | null = null;
    while (member !== null && member.heartbeatDeadline <= limit) {
      this.remove(member);
      try {
        member.onHeartbeatDue(this);
      } catch (error) {
        // a throwing listener must not stall the others' heartbeat; it still surfaces below
        failure ??= { error };
      }
      member = this.head;
    }
    if (this.head !== null && this.timer === null) this.arm(this.head.heartbeatDeadline);
    if (failure) throw failure.error;
  }
}

function fireQueue(queue: HeartbeatQueue): void {
  queue.fire();
}
