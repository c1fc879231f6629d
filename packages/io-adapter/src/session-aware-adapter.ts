import { Adapter } from "./in-memory-adapter";
import { createOffsetGenerator } from "./offsets";
import type {
  AdapterNamespace,
  AdapterPacket,
  BroadcastOptions,
  PrivateSessionId,
  Room,
  Session,
  SessionToPersist,
} from "./types";

/** socket.io's default `connectionStateRecovery.maxDisconnectionDuration`. */
const DEFAULT_MAX_DISCONNECTION_DURATION = 2 * 60 * 1000;
/** How often expired sessions and packets are swept even when nothing is broadcast. */
const SWEEP_INTERVAL = 60 * 1000;
/** Consumed slots at the head of the packet log are dropped in batches of at least this size. */
const COMPACTION_THRESHOLD = 1024;
const EVENT = 2;

interface StoredSession {
  session: SessionToPersist;
  disconnectedAt: number;
}

interface StoredPacket {
  offset: string;
  rooms: Set<Room>;
  except: Set<Room> | undefined;
  data: unknown[];
  emittedAt: number;
}

/**
 * The in-memory adapter with connection state recovery: it keeps the sessions of disconnected
 * sockets and a log of recent broadcast events (each tagged with an offset as its last argument),
 * and gives a reconnecting client back its id, rooms, data and the events it missed.
 *
 * Memory stays bounded: a session or packet older than `maxDisconnectionDuration` is dropped (on
 * every broadcast for the log's head, and by a periodic sweep), and a restored session is consumed.
 */
export class SessionAwareAdapter extends Adapter {
  private readonly maxDisconnectionDuration: number;
  private readonly sessions = new Map<PrivateSessionId, StoredSession>();
  /** Broadcast log, oldest first; entries before `head` are expired and awaiting compaction. */
  private packets: StoredPacket[] = [];
  private head = 0;
  private readonly nextOffset = createOffsetGenerator();
  private readonly sweepTimer: NodeJS.Timeout;

  constructor(nsp: AdapterNamespace) {
    super(nsp);
    const recovery = nsp.server.opts.connectionStateRecovery;
    this.maxDisconnectionDuration =
      (recovery ? recovery.maxDisconnectionDuration : undefined) ?? DEFAULT_MAX_DISCONNECTION_DURATION;
    this.sweepTimer = setInterval(() => this.sweep(Date.now()), SWEEP_INTERVAL);
    // A forgotten adapter must not keep the process alive.
    this.sweepTimer.unref();
  }

  override close(): Promise<void> | void {
    clearInterval(this.sweepTimer);
    this.sessions.clear();
    this.packets = [];
    this.head = 0;
  }

  override persistSession(session: SessionToPersist): void {
    this.sessions.set(session.pid, { session, disconnectedAt: Date.now() });
  }

  override restoreSession(pid: PrivateSessionId, offset: string): Promise<Session | null> {
    const stored = this.sessions.get(pid);
    if (stored === undefined) return Promise.resolve(null);
    // A session is restored at most once: a replayed pid cannot clone a live socket.
    this.sessions.delete(pid);
    const now = Date.now();
    if (stored.disconnectedAt + this.maxDisconnectionDuration < now) return Promise.resolve(null);
    const start = this.indexOfOffset(offset);
    if (start === -1) return Promise.resolve(null);
    const { session } = stored;
    const missedPackets: unknown[][] = [];
    for (let i = start + 1; i < this.packets.length; i++) {
      const packet = this.packets[i] as StoredPacket;
      if (reaches(session.rooms, packet)) missedPackets.push(packet.data);
    }
    return Promise.resolve({ ...session, missedPackets });
  }

  /** Tags recoverable events (no ack, not volatile) with a fresh offset and logs them. */
  override broadcast(packet: AdapterPacket, opts: BroadcastOptions): Promise<void> | void {
    if (isRecoverable(packet, opts)) {
      const now = Date.now();
      this.expirePackets(now);
      const offset = this.nextOffset();
      packet.data.push(offset);
      this.packets.push({
        offset,
        rooms: opts.rooms,
        except: opts.except,
        data: packet.data,
        emittedAt: now,
      });
    }
    return super.broadcast(packet, opts);
  }

  /** The number of sessions and logged packets currently held (for monitoring and tests). */
  get storedCounts(): { sessions: number; packets: number } {
    return { sessions: this.sessions.size, packets: this.packets.length - this.head };
  }

  private indexOfOffset(offset: string): number {
    // Reconnecting clients usually missed only the latest packets: search from the end.
    for (let i = this.packets.length - 1; i >= this.head; i--) {
      if ((this.packets[i] as StoredPacket).offset === offset) return i;
    }
    return -1;
  }

  private sweep(now: number): void {
    const threshold = now - this.maxDisconnectionDuration;
    for (const [pid, stored] of this.sessions) {
      if (stored.disconnectedAt < threshold) this.sessions.delete(pid);
    }
    this.expirePackets(now);
  }

  private expirePackets(now: number): void {
    const threshold = now - this.maxDisconnectionDuration;
    const packets = this.packets;
    let head = this.head;
    while (head < packets.length && (packets[head] as StoredPacket).emittedAt < threshold) {
      // Release the payload now; the slot itself goes at the next compaction.
      packets[head] = EXPIRED;
      head++;
    }
    if (head === packets.length) {
      this.packets = [];
      this.head = 0;
    } else if (head >= COMPACTION_THRESHOLD && head * 2 >= packets.length) {
      this.packets = packets.slice(head);
      this.head = 0;
    } else {
      this.head = head;
    }
  }
}

const EXPIRED: StoredPacket = { offset: "", rooms: new Set(), except: undefined, data: [], emittedAt: 0 };

function isRecoverable(
  packet: AdapterPacket,
  opts: BroadcastOptions,
): packet is AdapterPacket & { data: unknown[] } {
  // Acks cannot be restored on reconnection, and volatile events may be lost by definition.
  return (
    packet.type === EVENT &&
    packet.id === undefined &&
    opts.flags?.volatile === undefined &&
    Array.isArray(packet.data)
  );
}

/** Whether a logged broadcast would have reached a socket in `rooms`. */
function reaches(rooms: Room[], packet: StoredPacket): boolean {
  const included = packet.rooms.size === 0 || rooms.some((room) => packet.rooms.has(room));
  if (!included) return false;
  const except = packet.except;
  return except === undefined || except.size === 0 || rooms.every((room) => !except.has(room));
}
