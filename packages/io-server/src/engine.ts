import type { EventEmitter } from "node:events";
import type { IncomingMessage } from "node:http";

/**
 * What io-server uses of @sockwave/engine-server (the same members socket.io 4.8 uses of engine.io),
 * described structurally so `Server#bind()` also accepts any engine.io-compatible server.
 */

/** What `Encoder#encode` produces and the engine writes: text or binary. */
export type EngineData = string | Buffer | ArrayBuffer | ArrayBufferView;

export interface EngineWriteOptions {
  compress?: boolean;
}

export interface EngineTransport {
  readonly name: string;
  readonly writable: boolean;
}

/** One Engine.IO session (`socket.conn`). */
export interface EngineSocket extends EventEmitter {
  readonly id: string;
  readonly protocol: number;
  readonly readyState: string;
  readonly request: IncomingMessage;
  readonly remoteAddress: string;
  readonly transport: EngineTransport;
  /** Packets accepted by `write()` but not yet handed to the transport. */
  readonly writeBuffer: readonly unknown[];
  /** Bytes the transport accepted but the network has not taken yet (@sockwave/engine-server). */
  readonly bufferedAmount?: number;
  write(data: unknown, options?: EngineWriteOptions, callback?: () => void): unknown;
  /** `discard`: drop what is still buffered instead of flushing it first. */
  close(discard?: boolean): unknown;
}

/** The engine server (`io.engine`). */
export interface EngineServer extends EventEmitter {
  readonly clientsCount: number;
  close(): unknown;
}
