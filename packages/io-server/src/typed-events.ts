import { EventEmitter } from "node:events";

/* eslint-disable @typescript-eslint/no-explicit-any --
 * The event-map types below must accept every user interface the way socket.io 4.8's do: only an
 * `any`-valued index signature lets an interface without one satisfy `EventsMap`, and only `any[]`
 * parameters let untyped listeners declare their own parameter types. */

/** A map of event names to listener signatures (`{ hello: (name: string) => void }`). */
export interface EventsMap {
  [event: string]: any;
}

/** The map used when no type parameter is given: any event, any arguments. */
export interface DefaultEventsMap {
  [event: string]: (...args: any[]) => void;
}

type AnyFunction = (...args: any[]) => any;
type IsAny<T> = 0 extends 1 & T ? true : false;
type ParamsOf<F> = F extends (...args: infer P) => any ? P : never;

/** The event names of a map. */
export type EventNames<Map extends EventsMap> = keyof Map & (string | symbol);

/** The arguments of one event. */
export type EventParams<Map extends EventsMap, Ev extends EventNames<Map>> = Parameters<Map[Ev]>;

/** The last element of a tuple (or the element type of an array). */
export type Last<T extends readonly unknown[]> = T extends readonly [...unknown[], infer Tail]
  ? Tail
  : T extends ReadonlyArray<infer Element>
    ? Element
    : never;

/** A tuple without its last element. */
export type AllButLast<T extends any[]> = T extends [...infer Head, unknown] ? Head : any[];

/** The value an acknowledgement resolves with: its first argument, or its second when the first is an Error. */
export type FirstNonErrorTuple<T extends unknown[]> = T[0] extends Error ? T[1] : T[0];
export type FirstNonErrorArg<T> = T extends (...args: infer P) => any ? FirstNonErrorTuple<P> : any;

type LastParam<F> = Last<ParamsOf<F>>;
type EndsWithCallback<F> = ParamsOf<F> extends never[] ? false : LastParam<F> extends AnyFunction ? true : false;

/** Whether event K takes an acknowledgement callback: "yes", "no", or "either" when its type is any. */
type AckKind<Map extends EventsMap, K extends keyof Map> =
  IsAny<LastParam<Map[K]> | Map[K]> extends true ? "either" : EndsWithCallback<Map[K]> extends true ? "yes" : "no";

/** Events whose last argument is an acknowledgement callback. */
export type EventNamesWithAck<Map extends EventsMap, K extends EventNames<Map> = EventNames<Map>> =
  K extends unknown ? (AckKind<Map, K> extends "no" ? never : K) : never;

/** Events without an acknowledgement callback. */
export type EventNamesWithoutAck<Map extends EventsMap, K extends EventNames<Map> = EventNames<Map>> =
  K extends unknown ? (AckKind<Map, K> extends "yes" ? never : K) : never;

/** Events whose acknowledgement callback takes an Error first (what `timeout()` produces). */
export type EventNamesWithError<Map extends EventsMap, K extends EventNamesWithAck<Map> = EventNamesWithAck<Map>> =
  K extends unknown
    ? IsAny<LastParam<Map[K]> | Map[K]> extends true
      ? K
      : ParamsOf<LastParam<Map[K]>>[0] extends Error
        ? K
        : never
    : never;

/** The same map without the events that expect an acknowledgement (broadcasts cannot carry one). */
export type RemoveAcknowledgements<E extends EventsMap> = {
  [K in EventNamesWithoutAck<E>]: E[K];
};

/** A listener for a reserved or a user event; untyped when the name is in neither map. */
export type ReservedOrUserEventNames<Reserved extends EventsMap, User extends EventsMap> =
  | EventNames<Reserved>
  | EventNames<User>;

type UntypedWhenNever<T> = [T] extends [never] ? (...args: any[]) => void | Promise<void> : T;

export type ReservedOrUserListener<
  Reserved extends EventsMap,
  User extends EventsMap,
  Ev extends ReservedOrUserEventNames<Reserved, User>,
> = UntypedWhenNever<
  Ev extends EventNames<Reserved> ? Reserved[Ev] : Ev extends EventNames<User> ? User[Ev] : never
>;

/** Whatever can emit typed events to clients. */
export interface TypedEventBroadcaster<EmitEvents extends EventsMap> {
  emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): boolean;
}

// Acknowledgement decorations: how `timeout()` and broadcasts change the callback's signature.

type WithTimeoutError<T extends any[]> = {
  [K in keyof T]: T[K] extends (...args: infer P) => infer R
    ? P[0] extends Error
      ? T[K]
      : (err: Error, ...args: P) => R
    : T[K];
};

/** Each element made an array of responses (one per recipient). */
export type MultiplyArray<T extends unknown[]> = { [K in keyof T]: T[K][] };

// Keeps only the first element of a labelled tuple while preserving its label.
type FirstKeepingLabel<T extends any[]> = T extends [any, ...infer Rest]
  ? T extends [...infer Head, ...Rest]
    ? Head
    : never
  : never;

type WithResponseArrays<T extends any[]> = {
  [K in keyof T]: T[K] extends (...args: infer P) => infer R
    ? P extends [Error]
      ? (err: Error) => R
      : P extends [Error, ...infer Rest]
        ? (err: Error, ...args: FirstKeepingLabel<MultiplyArray<Rest>>) => R
        : P extends []
          ? () => R
          : (...args: FirstKeepingLabel<MultiplyArray<P>>) => R
    : T[K];
};

/** `timeout(ms)`: the acknowledgement receives an Error first. */
export type DecorateAcknowledgements<E> = {
  [K in keyof E]: E[K] extends (...args: infer P) => infer R ? (...args: WithTimeoutError<P>) => R : E[K];
};

/** A broadcast with `timeout(ms)`: an Error first, then an array of responses. */
export type DecorateAcknowledgementsWithTimeoutAndMultipleResponses<E> = {
  [K in keyof E]: E[K] extends (...args: infer P) => infer R
    ? (...args: WithResponseArrays<WithTimeoutError<P>>) => R
    : E[K];
};

/** A broadcast: the acknowledgement receives an array of responses. */
export type DecorateAcknowledgementsWithMultipleResponses<E> = {
  [K in keyof E]: E[K] extends (...args: infer P) => infer R ? (...args: WithResponseArrays<P>) => R : E[K];
};

/**
 * Node's EventEmitter with typed `on`/`once`/`emit`/`listeners`. `emitReserved` emits the events the
 * library itself raises; `emitUntyped` emits what a client sent.
 */
export abstract class StrictEventEmitter<
    ListenEvents extends EventsMap,
    EmitEvents extends EventsMap,
    ReservedEvents extends EventsMap = {},
  >
  extends EventEmitter
  implements TypedEventBroadcaster<EmitEvents>
{
  override on<Ev extends ReservedOrUserEventNames<ReservedEvents, ListenEvents>>(
    ev: Ev,
    listener: ReservedOrUserListener<ReservedEvents, ListenEvents, Ev>,
  ): this {
    return super.on(ev, listener as AnyFunction);
  }

  override once<Ev extends ReservedOrUserEventNames<ReservedEvents, ListenEvents>>(
    ev: Ev,
    listener: ReservedOrUserListener<ReservedEvents, ListenEvents, Ev>,
  ): this {
    return super.once(ev, listener as AnyFunction);
  }

  override emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): boolean {
    return super.emit(ev, ...args);
  }

  protected emitReserved<Ev extends EventNames<ReservedEvents>>(
    ev: Ev,
    ...args: EventParams<ReservedEvents, Ev>
  ): boolean {
    return super.emit(ev, ...args);
  }

  protected emitUntyped(ev: string, ...args: unknown[]): boolean {
    return super.emit(ev, ...args);
  }

  override listeners<Ev extends ReservedOrUserEventNames<ReservedEvents, ListenEvents>>(
    event: Ev,
  ): ReservedOrUserListener<ReservedEvents, ListenEvents, Ev>[] {
    return super.listeners(event) as ReservedOrUserListener<ReservedEvents, ListenEvents, Ev>[];
  }
}
