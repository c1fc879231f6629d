import createDebug from "debug";
import { parse } from "@sockwave/engine-client";

const debug = createDebug("sockwave:io-client:url");

/** The parts of a URI that the client uses (the shape `parse` of engine.io-client returns). */
export interface ParsedUri {
  source: string;
  protocol: string;
  host: string;
  port: string;
  path: string;
  query: string;
  queryKey: Record<string, string>;
}

/** A parsed URI plus the key that identifies its Manager and the origin to show. */
export interface Url extends ParsedUri {
  /** `protocol://host:port<path>`: URIs with the same id share a Manager. */
  id: string;
  href: string;
}

/** The subset of `window.location` the parser falls back to. */
export interface LocationLike {
  protocol: string;
  host: string;
  port: string;
}

const ABSOLUTE = /^(https?|wss?):\/\//;
const DEFAULT_PORTS: Record<string, string> = { http: "80", ws: "80", https: "443", wss: "443" };

function currentLocation(): LocationLike | undefined {
  return typeof location === "undefined" ? undefined : location;
}

/**
 * Parses the URI given to `io()`: relative URIs resolve against `loc` (the page location in a browser),
 * a missing scheme borrows the page's (or `https:`), and a missing port becomes the scheme's default
 * so `host` and `host:80` share a Manager.
 *
 * @param uri - what the user passed to `io()`; omitted means the page's own origin
 * @param path - the Engine.IO request path, part of the Manager key
 * @param loc - stands in for `window.location`
 */
export function url(uri?: string, path = "", loc: LocationLike | undefined = currentLocation()): Url {
  let source = uri;
  if (source == null || source === "") {
    if (!loc) {
      throw new Error('io(): no URI was given and there is no page location to default to (pass e.g. "http://localhost:3000")');
    }
    source = `${loc.protocol}//${loc.host}`;
  }
  if (typeof source !== "string") {
    throw new TypeError(`io(): the URI must be a string, got ${typeof source}`);
  }
  if (source.charAt(0) === "/") {
    if (!loc) throw new Error(`io(): the relative URI "${source}" needs a page location to resolve against`);
    source = source.charAt(1) === "/" ? loc.protocol + source : loc.host + source;
  }
  if (!ABSOLUTE.test(source)) {
    source = `${loc ? loc.protocol : "https:"}//${source}`;
  }
  debug("parse %s", source);
  const parsed = parse(source) as ParsedUri;
  const port = parsed.port || DEFAULT_PORTS[parsed.protocol] || "";
  const host = parsed.host.includes(":") ? `[${parsed.host}]` : parsed.host;
  return {
    ...parsed,
    port,
    path: parsed.path || "/",
    id: `${parsed.protocol}://${host}:${port}${path}`,
    href: `${parsed.protocol}://${host}${loc && loc.port === port ? "" : `:${port}`}`,
  };
}
