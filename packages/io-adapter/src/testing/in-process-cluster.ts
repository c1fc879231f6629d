import { ClusterAdapter } from "../cluster-adapter";
import { ClusterAdapterWithHeartbeat, type ClusterAdapterOptions } from "../cluster-adapter-with-heartbeat";
import type { ClusterMessage, ClusterResponse, Offset, ServerId } from "../cluster-messages";
import type { Adapter } from "../in-memory-adapter";
import type { AdapterNamespace } from "../types";

/** A constructor the server can be given as its `adapter` option. */
export type AdapterConstructor<A extends Adapter = Adapter> = new (nsp: AdapterNamespace) => A;

export interface InProcessAdapterOptions {
  /** How long requests to the other nodes wait (ms) when the caller set no timeout. Default 5000. */
  requestTimeout?: number;
}

/** A member's place on the bus: how the bus reaches it, and how it reaches the bus. */
interface BusMember {
  readonly uid: ServerId;
  readonly nsp: AdapterNamespace;
  readonly onMessage: (message: ClusterMessage, offset: Offset) => void;
  readonly onResponse: (response: ClusterResponse) => void;
}

/** What a member adapter holds to talk over the bus. */
export interface BusEndpoint {
  publish(message: ClusterMessage): Promise<Offset>;
  respond(requesterUid: ServerId, response: ClusterResponse): Promise<void>;
  leave(): void;
}

/**
 * An in-process message bus between adapters, standing in for Redis or Postgres: each published
 * message is copied with `structuredClone` (as serialization would) and delivered in order, on a
 * later turn of the event loop, to every other member. It is a complete example of a cluster
 * adapter: a transport only has to carry messages both ways and report the offset of each.
 *
 * Use it to run several servers in one process: `const bus = new InProcessBus();` then give each
 * server `{ adapter: bus.heartbeatAdapter() }` (or `bus.clusterAdapter()`).
 */
export class InProcessBus {
  private readonly members = new Set<BusMember>();
  private sequence = 0;

  /**
   * @param tamper - fault injection for tests: sees each message copy before it is delivered, and
   *   returns what to deliver instead (`undefined` drops it).
   */
  constructor(private readonly tamper?: (message: ClusterMessage) => ClusterMessage | undefined) {}

  /** An adapter class extending {@link ClusterAdapter}: the node count comes from the bus itself. */
  clusterAdapter(options: InProcessAdapterOptions = {}): AdapterConstructor<ClusterAdapter> {
    const bus = this;
    return class InProcessClusterAdapter extends ClusterAdapter {
      private readonly endpoint = bus.connect(this.uid, this.nsp, this.onMessage.bind(this), this.onResponse.bind(this));
      constructor(nsp: AdapterNamespace) {
        super(nsp);
        this.requestTimeout = options.requestTimeout ?? this.requestTimeout;
      }
      override serverCount(): Promise<number> {
        return Promise.resolve(bus.countMembers(this.nsp.name));
      }
      protected doPublish(message: ClusterMessage): Promise<Offset> {
        return this.endpoint.publish(message);
      }
      protected doPublishResponse(requesterUid: ServerId, response: ClusterResponse): Promise<void> {
        return this.endpoint.respond(requesterUid, response);
      }
      override close(): Promise<void> | void {
        this.endpoint.leave();
        return super.close();
      }
    };
  }

  /** An adapter class extending {@link ClusterAdapterWithHeartbeat}: nodes discover each other. */
  heartbeatAdapter(options: InProcessAdapterOptions & ClusterAdapterOptions = {}): AdapterConstructor<ClusterAdapterWithHeartbeat> {
    const bus = this;
    return class InProcessHeartbeatAdapter extends ClusterAdapterWithHeartbeat {
      private readonly endpoint = bus.connect(this.uid, this.nsp, this.onMessage.bind(this), this.onResponse.bind(this));
      constructor(nsp: AdapterNamespace) {
        super(nsp, options);
        this.requestTimeout = options.requestTimeout ?? this.requestTimeout;
      }
      protected doPublish(message: ClusterMessage): Promise<Offset> {
        return this.endpoint.publish(message);
      }
      protected doPublishResponse(requesterUid: ServerId, response: ClusterResponse): Promise<void> {
        return this.endpoint.respond(requesterUid, response);
      }
      override close(): Promise<void> | void {
        // The farewell is published (and copied) before this member leaves the bus.
        const closed = super.close();
        this.endpoint.leave();
        return closed;
      }
    };
  }

  /**
   * Puts an adapter on the bus. `onMessage` and `onResponse` receive what the others send; the
   * returned endpoint sends. This is all a transport has to provide to a {@link ClusterAdapter}.
   */
  connect(
    uid: ServerId,
    nsp: AdapterNamespace,
    onMessage: (message: ClusterMessage, offset: Offset) => void,
    onResponse: (response: ClusterResponse) => void,
  ): BusEndpoint {
    const member: BusMember = { uid, nsp, onMessage, onResponse };
    this.members.add(member);
    return {
      publish: (message) => {
        try {
          return Promise.resolve(this.publish(member, message));
        } catch (err) {
          return Promise.reject(err);
        }
      },
      respond: (requesterUid, response) => {
        this.respond(requesterUid, response);
        return Promise.resolve();
      },
      leave: () => {
        this.members.delete(member);
      },
    };
  }

  /** The number of members serving namespace `nsp`. */
  countMembers(nsp: string): number {
    let count = 0;
    for (const member of this.members) if (member.nsp.name === nsp) count++;
    return count;
  }

  /**
   * Delivers `message` as it is (no validation, no copy) to every member, as a faulty or hostile
   * transport would: adapters must ignore what they cannot use without throwing.
   */
  injectRaw(message: unknown, offset: Offset = "0"): void {
    for (const member of this.members) member.onMessage(message as ClusterMessage, offset);
  }

  /**
   * Cuts `adapter` off the bus without a farewell, as if its process had crashed: it neither
   * sends nor receives from now on.
   */
  detach(adapter: Adapter): void {
    for (const member of this.members) {
      if (member.nsp === adapter.nsp) this.members.delete(member);
    }
  }

  private publish(sender: BusMember, message: ClusterMessage): Offset {
    if (!this.members.has(sender)) throw new Error("this adapter is no longer on the bus");
    const offset = String(++this.sequence);
    const recipients = [...this.members].filter((member) => member !== sender);
    // Copied now, as a real transport serializes now: later changes by the sender must not leak.
    const copy = structuredClone(message);
    setImmediate(() => {
      for (const member of recipients) {
        if (!this.members.has(member)) continue;
        const delivered = this.tamper ? this.tamper(structuredClone(copy)) : structuredClone(copy);
        if (delivered !== undefined) member.onMessage(delivered, offset);
      }
    });
    return offset;
  }

  private respond(requesterUid: ServerId, response: ClusterResponse): void {
    const copy = structuredClone(response);
    setImmediate(() => {
      for (const member of this.members) {
        if (member.uid === requesterUid) member.onResponse(copy);
      }
    });
  }
}
