import ComponentEmitter from "component-emitter";

/**
 * A typed face for `component-emitter` (untyped, CommonJS `export =`) with the API and semantics of
 * `@socket.io/component-emitter` 3: listeners run in registration order on a copy of the list, `off(ev, fn)`
 * removes one registration (also one made with `once`), `off(ev)` removes all of an event, `off()` everything.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- event maps hold arbitrary listener signatures
export type EventsMap = Record<string, any>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the untyped fallback, as in the official typings
export type DefaultEventsMap = Record<string, (...args: any[]) => void>;

export type EventNames<Map extends EventsMap> = keyof Map & (string | symbol);

export type EventParams<Map extends EventsMap, Ev extends EventNames<Map>> = Parameters<Map[Ev]>;

export type ReservedOrUserEventNames<ReservedEvents extends EventsMap, UserEvents extends EventsMap> =
  | EventNames<ReservedEvents>
  | EventNames<UserEvents>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- events nobody typed accept any listener
type FallbackToUntypedListener<T> = [T] extends [never] ? (...args: any[]) => void | Promise<void> : T;

export type ReservedOrUserListener<
  ReservedEvents extends EventsMap,
  UserEvents extends EventsMap,
  Ev extends ReservedOrUserEventNames<ReservedEvents, UserEvents>,
> = FallbackToUntypedListener<
  Ev extends EventNames<ReservedEvents>
    ? ReservedEvents[Ev]
    : Ev extends EventNames<UserEvents>
      ? UserEvents[Ev]
      : never
>;

type AnyListener = (...args: unknown[]) => unknown;

/** What component-emitter's prototype really does; its own typings say nothing about events. */
interface UntypedEmitter {
  on(event: string | symbol, listener: AnyListener): unknown;
  once(event: string | symbol, listener: AnyListener): unknown;
  off(event?: string | symbol, listener?: AnyListener): unknown;
  emit(event: string | symbol, ...args: unknown[]): unknown;
  listeners(event: string | symbol): AnyListener[];
  listenerCount(event?: string | symbol): number;
  hasListeners(event: string | symbol): boolean;
}

const UntypedEmitterBase = ComponentEmitter as unknown as new () => object;
const untypedEmit = (ComponentEmitter.prototype as unknown as UntypedEmitter).emit;

/**
 * Event emitter with typed events.
 * - `ListenEvents`: events others emit and this side listens to (`on`).
 * - `EmitEvents`: events `emit` may send.
 * - `ReservedEvents`: events only the class itself emits, through the protected `emitReserved`.
 */
// Declaration merging gives the runtime prototype of component-emitter its typed signatures at no call cost.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the official default
export interface Emitter<ListenEvents extends EventsMap, EmitEvents extends EventsMap, ReservedEvents extends EventsMap = {}> {
  on<Ev extends ReservedOrUserEventNames<ReservedEvents, ListenEvents>>(
    ev: Ev,
    listener: ReservedOrUserListener<ReservedEvents, ListenEvents, Ev>,
  ): this;
  once<Ev extends ReservedOrUserEventNames<ReservedEvents, ListenEvents>>(
    ev: Ev,
    listener: ReservedOrUserListener<ReservedEvents, ListenEvents, Ev>,
  ): this;
  off<Ev extends ReservedOrUserEventNames<ReservedEvents, ListenEvents>>(
    ev?: Ev,
    listener?: ReservedOrUserListener<ReservedEvents, ListenEvents, Ev>,
  ): this;
  removeListener<Ev extends ReservedOrUserEventNames<ReservedEvents, ListenEvents>>(
    ev?: Ev,
    listener?: ReservedOrUserListener<ReservedEvents, ListenEvents, Ev>,
  ): this;
  removeAllListeners<Ev extends ReservedOrUserEventNames<ReservedEvents, ListenEvents>>(ev?: Ev): this;
  emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): this;
  listeners<Ev extends ReservedOrUserEventNames<ReservedEvents, ListenEvents>>(
    event: Ev,
  ): ReservedOrUserListener<ReservedEvents, ListenEvents, Ev>[];
  listenerCount<Ev extends ReservedOrUserEventNames<ReservedEvents, ListenEvents>>(event?: Ev): number;
  hasListeners<Ev extends ReservedOrUserEventNames<ReservedEvents, ListenEvents>>(event: Ev): boolean;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export class Emitter<
  ListenEvents extends EventsMap,
  EmitEvents extends EventsMap,
  ReservedEvents extends EventsMap = {},
> extends UntypedEmitterBase {
  /** Emits an event that only this class (or a subclass) may emit, bypassing the `EmitEvents` typing. */
  protected emitReserved<Ev extends EventNames<ReservedEvents>>(
    ev: Ev,
    ...args: EventParams<ReservedEvents, Ev>
  ): this {
    untypedEmit.call(this, ev, ...args);
    return this;
  }
}
