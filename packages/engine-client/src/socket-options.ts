import type { Query, QueryValue } from "./query-string";
import type { Transport, TransportOptions } from "./transport";

export type TransportName = "polling" | "websocket" | "webtransport" | (string & {});

/** A transport class: `prototype.name` gives its name (`polling`, `websocket`, ...). */
export type TransportCtor = new (opts: TransportOptions) => Transport;

/**
 * The options of engine.io-client 6.6's Socket, with the same defaults. Node-only options (agent, TLS,
 * perMessageDeflate) are ignored in browsers.
 */
export interface SocketOptions {
  /** `host:port` or a host name; overridden by the URI given to the constructor. */
  host?: string;
  hostname?: string;
  /** https/wss; defaults to the page's protocol in a browser, false in Node. */
  secure?: boolean;
  port?: string | number;
  /** Extra query parameters for every request (an object or `a=1&b=2`). */
  query?: Query | string;
  /** Node: an `http.Agent` for polling and WebSocket requests; `false` (default) uses Node's global agent. */
  agent?: string | boolean | object;
  /** Probe and switch to a better transport after opening (default true). */
  upgrade?: boolean;
  /** Send binary as base64 text (`b64=1`), for environments without binary support (default false). */
  forceBase64?: boolean;
  /** Name of the cache-busting query parameter (default `t`). */
  timestampParam?: string;
  /** Add the cache buster to every request: defaults to true for polling and false for WebSocket. */
  timestampRequests?: boolean;
  /** Transports in order of preference, by name or class (default `["polling", "websocket", "webtransport"]`). */
  transports?: TransportName[] | TransportCtor[];
  /** Same as `transports` given as classes (SocketWithoutUpgrade / SocketWithUpgrade). */
  transportImplementations?: TransportCtor[];
  /** On a failure while opening, try the next transport in the list instead of giving up (default false). */
  tryAllTransports?: boolean;
  /** Start with WebSocket when a previous connection upgraded to it (default false). */
  rememberUpgrade?: boolean;
  /** Timeout in ms of each polling HTTP request (default: none). */
  requestTimeout?: number;
  /** Options by transport name, merged over the others for that transport: `{ polling: { extraHeaders } }`. */
  transportOptions?: Record<string, Partial<SocketOptions>>;
  pfx?: string | Uint8Array;
  key?: string | Uint8Array;
  passphrase?: string;
  cert?: string | Uint8Array;
  ca?: string | Uint8Array | Array<string | Uint8Array>;
  ciphers?: string;
  /** Node: verify the server's TLS certificate (default true). */
  rejectUnauthorized?: boolean;
  /** Headers sent with every HTTP request and the WebSocket handshake (Node; polling only in browsers). */
  extraHeaders?: Record<string, string>;
  /** Send cookies cross-origin (browsers); in Node, keeps a cookie jar for the session (default false). */
  withCredentials?: boolean;
  /** Browsers: close the connection silently on `beforeunload` (default false). */
  closeOnBeforeunload?: boolean;
  /** Use the timers captured at load time, ignoring later replacements of setTimeout (default false). */
  useNativeTimers?: boolean;
  /** Node: do not keep the process alive for this connection's timers and sockets (default false). */
  autoUnref?: boolean;
  /** Node WebSocket: permessage-deflate, with messages under `threshold` bytes sent uncompressed (default `{ threshold: 1024 }`). */
  perMessageDeflate?: { threshold: number } | false;
  /** The server's path (default `/engine.io`). */
  path?: string;
  /** Append `/` to the path (default true). */
  addTrailingSlash?: boolean;
  /** WebSocket sub-protocols. */
  protocols?: string | string[];
}

/** The options after defaults were applied: what transports receive. */
export interface ResolvedSocketOptions extends SocketOptions {
  path: string;
  agent: string | boolean | object;
  withCredentials: boolean;
  upgrade: boolean;
  timestampParam: string;
  rememberUpgrade: boolean;
  addTrailingSlash: boolean;
  rejectUnauthorized: boolean;
  perMessageDeflate: { threshold: number } | false;
  transportOptions: Record<string, Partial<SocketOptions>>;
  closeOnBeforeunload: boolean;
  query: Record<string, QueryValue>;
}

export function withDefaults(opts: SocketOptions, query: Record<string, QueryValue>): ResolvedSocketOptions {
  const resolved: ResolvedSocketOptions = {
    path: "/engine.io",
    agent: false,
    withCredentials: false,
    upgrade: true,
    timestampParam: "t",
    rememberUpgrade: false,
    addTrailingSlash: true,
    rejectUnauthorized: true,
    perMessageDeflate: { threshold: 1024 },
    transportOptions: {},
    closeOnBeforeunload: false,
    // `{ path: undefined }` means "the default", not "no path".
    ...Object.fromEntries(Object.entries(opts).filter(([, value]) => value !== undefined)),
    query,
  };
  resolved.path = resolved.path.replace(/\/$/, "") + (resolved.addTrailingSlash ? "/" : "");
  return resolved;
}

