import { ClusterAdapter, type ExpectedResponders } from "./cluster-adapter";
import { MessageType, type ClusterMessage, type Offset, type ServerId, type UnstampedMessage } from "./cluster-messages";
import type { AdapterNamespace } from "./types";

/** The uid of `@socket.io/*-emitter` processes: they publish but are not servers. */
const EMITTER_UID = "emitter";
/** How often nodes that went silent are looked for. */
const CLEANUP_INTERVAL = 1000;

export interface ClusterAdapterOptions {
  /** A node that published nothing for this long (ms) sends a heartbeat. Default 5000. */
  heartbeatInterval?: number;
  /** A node not heard from for this long (ms) is considered gone. Default 10000. */
  heartbeatTimeout?: number;
}

/**
 * A {@link ClusterAdapter} that counts the nodes itself: each node announces itself when it starts
 * (INITIAL_HEARTBEAT, answered by everyone's HEARTBEAT), sends a HEARTBEAT whenever it has been
 * quiet for `heartbeatInterval`, and says ADAPTER_CLOSE when it stops. A node silent for
 * `heartbeatTimeout` is forgotten, and requests stop waiting for it.
 */
export abstract class ClusterAdapterWithHeartbeat extends ClusterAdapter {
  private readonly heartbeatOptions: Required<ClusterAdapterOptions>;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private cleanupTimer: NodeJS.Timeout | undefined;
  /** Other nodes, by uid, with the time their last message arrived. */
  private readonly nodesMap = new Map<ServerId, number>();

  protected constructor(nsp: AdapterNamespace, opts: ClusterAdapterOptions = {}) {
    super(nsp);
    this.heartbeatOptions = {
      heartbeatInterval: opts.heartbeatInterval ?? 5000,
      heartbeatTimeout: opts.heartbeatTimeout ?? 10000,
    };
    this.cleanupTimer = setInterval(() => this.forgetSilentNodes(Date.now()), CLEANUP_INTERVAL);
    this.cleanupTimer.unref();
  }

  override init(): Promise<void> | void {
    this.publish({ type: MessageType.INITIAL_HEARTBEAT });
  }

  override close(): Promise<void> | void {
    this.publish({ type: MessageType.ADAPTER_CLOSE });
    clearTimeout(this.heartbeatTimer);
    clearInterval(this.cleanupTimer);
    this.heartbeatTimer = undefined;
    this.cleanupTimer = undefined;
    return super.close();
  }

  /** The ids of the other nodes currently known. */
  get knownNodes(): ServerId[] {
    return [...this.nodesMap.keys()];
  }

  protected override onMessage(message: ClusterMessage, offset?: string): void {
    if (typeof message !== "object" || message === null || message.uid === this.uid) return;
    if (typeof message.uid === "string" && message.uid !== EMITTER_UID) {
      this.nodesMap.set(message.uid, Date.now());
    }
    switch (message.type) {
      case MessageType.INITIAL_HEARTBEAT:
        // A node just started: tell it we exist.
        this.publish({ type: MessageType.HEARTBEAT });
        return;
      case MessageType.HEARTBEAT:
        return;
      case MessageType.ADAPTER_CLOSE:
        this.removeNode(message.uid);
        return;
      default:
        super.onMessage(message, offset);
    }
  }

  override serverCount(): Promise<number> {
    return Promise.resolve(1 + this.nodesMap.size);
  }

  protected override async expectedResponders(): Promise<ExpectedResponders> {
    return { count: this.nodesMap.size, uids: new Set(this.nodesMap.keys()) };
  }

  protected override publishAndReturnOffset(message: UnstampedMessage): Promise<Offset> {
    this.scheduleHeartbeat();
    return super.publishAndReturnOffset(message);
  }

  /** Every publish pushes the next heartbeat back: heartbeats are only sent by quiet nodes. */
  private scheduleHeartbeat(): void {
    if (this.cleanupTimer === undefined) return; // closed
    if (this.heartbeatTimer !== undefined) {
      this.heartbeatTimer.refresh();
      return;
    }
    this.heartbeatTimer = setTimeout(() => {
      this.publish({ type: MessageType.HEARTBEAT });
    }, this.heartbeatOptions.heartbeatInterval);
    this.heartbeatTimer.unref();
  }

  private forgetSilentNodes(now: number): void {
    for (const [uid, lastSeen] of this.nodesMap) {
      if (now - lastSeen > this.heartbeatOptions.heartbeatTimeout) {
        this.log("[%s] node %s seems down", this.uid, uid);
        this.removeNode(uid);
      }
    }
  }

  private removeNode(uid: ServerId): void {
    this.nodesMap.delete(uid);
    this.forgetNode(uid);
  }
}
