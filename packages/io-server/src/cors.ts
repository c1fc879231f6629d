import type { IncomingMessage, ServerResponse } from "node:http";

/** An origin rule, as in the `cors` package (which engine.io's `cors` option uses). */
export type StaticOrigin = boolean | string | RegExp | Array<string | RegExp>;
export type OriginCallback = (err: Error | null, origin?: StaticOrigin) => void;
export type CustomOrigin = (requestOrigin: string | undefined, callback: OriginCallback) => void;

/** The subset of the `cors` option io-server honours when it serves the client bundles itself. */
export interface CorsOptions {
  origin?: StaticOrigin | CustomOrigin;
  methods?: string | string[];
  allowedHeaders?: string | string[];
  exposedHeaders?: string | string[];
  credentials?: boolean;
  maxAge?: number;
  optionsSuccessStatus?: number;
}

function allowed(rule: StaticOrigin, origin: string): boolean {
  if (typeof rule === "boolean") return rule;
  if (typeof rule === "string") return rule === "*" || rule === origin;
  if (rule instanceof RegExp) return rule.test(origin);
  return rule.some((entry) => allowed(entry, origin));
}

function list(value: string | string[]): string {
  return Array.isArray(value) ? value.join(",") : value;
}

/**
 * Adds CORS headers to a response for a served bundle; answers preflight requests itself.
 * `next` runs when the request should be answered normally.
 */
export function applyCors(options: CorsOptions, req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const origin = req.headers.origin;
  const finish = (rule: StaticOrigin | undefined): void => {
    if (rule === "*" || rule === undefined) {
      res.setHeader("Access-Control-Allow-Origin", "*");
    } else if (origin && allowed(rule, origin)) {
      res.setHeader("Access-Control-Allow-Origin", origin);
      res.appendHeader("Vary", "Origin");
    }
    if (options.credentials) res.setHeader("Access-Control-Allow-Credentials", "true");
    if (options.exposedHeaders) res.setHeader("Access-Control-Expose-Headers", list(options.exposedHeaders));
    if (req.method === "OPTIONS") {
      res.setHeader("Access-Control-Allow-Methods", list(options.methods ?? "GET,HEAD,PUT,PATCH,POST,DELETE"));
      const headers = options.allowedHeaders ?? req.headers["access-control-request-headers"];
      if (headers) res.setHeader("Access-Control-Allow-Headers", list(headers));
      if (options.maxAge !== undefined) res.setHeader("Access-Control-Max-Age", String(options.maxAge));
      res.writeHead(options.optionsSuccessStatus ?? 204, { "Content-Length": "0" });
      res.end();
      return;
    }
    next();
  };
  const rule = options.origin;
  if (typeof rule === "function") {
    rule(origin, (err, resolved) => {
      if (err) {
        res.writeHead(500);
        res.end();
        return;
      }
      finish(resolved ?? false);
    });
  } else {
    finish(rule);
  }
}

/**
 * Translates socket.io 2's `io.origins(...)` argument into a `cors.origin` rule: `"*:*"` allows
 * every origin; `"http://a.com:80 https://b.com:*"` (or an array of those) lists origins, where
 * port 80 (http), 443 (https) and `*` mean the origin without a port; a function
 * `(origin, callback(err, allowed))` is used as is.
 */
export function originsToCors(origins: string | string[] | CustomOrigin): StaticOrigin | CustomOrigin {
  if (typeof origins === "function") return origins;
  const entries = (Array.isArray(origins) ? origins : origins.split(/\s+/)).filter(Boolean);
  if (entries.includes("*:*") || entries.includes("*")) return true;
  return entries.map((entry) => {
    const match = /^(https?:\/\/[^:/]+)(?::(\d+|\*))?\/?$/.exec(entry);
    if (!match) return entry;
    const [, base, port] = match;
    const defaultPort = base!.startsWith("https:") ? "443" : "80";
    if (!port || port === defaultPort) return base!;
    if (port === "*") return new RegExp(`^${base!.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(:\\d+)?$`);
    return `${base}:${port}`;
  });
}
