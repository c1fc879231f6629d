/* eslint-disable @typescript-eslint/no-explicit-any -- these helpers mirror socket.io-client's typings, which must accept any user signature */

/** Puts an `Error` in front of an ack callback's parameters (the ack may now fail with a timeout). */
type PrependTimeoutError<T extends any[]> = {
  [K in keyof T]: T[K] extends (...args: infer Params) => infer Result ? (err: Error, ...args: Params) => Result : T[K];
};

/** The events of `socket.timeout(ms)`: every ack callback also receives an error first. */
export type DecorateAcknowledgements<E> = {
  [K in keyof E]: E[K] extends (...args: infer Params) => infer Result ? (...args: PrependTimeoutError<Params>) => Result : E[K];
};

/** The last element of a tuple (the ack callback of an event's parameters). */
export type Last<T extends any[]> = T extends [...infer _Head, infer L] ? L : any;

/** Every element of a tuple but the last (an event's parameters without its ack callback). */
export type AllButLast<T extends any[]> = T extends [...infer Head, infer _Last] ? Head : any[];

/** The first parameter of a callback (what `emitWithAck` resolves to). */
export type FirstArg<T> = T extends (arg: infer Param) => any ? Param : any;
