import { splitOnce } from "./query-string";

/** The parts of a URI, with the field names of the official `parse` (parseuri) that io-client reads. */
export interface ParsedUri {
  source: string;
  protocol: string;
  authority: string;
  userInfo: string;
  user: string;
  password: string;
  host: string;
  port: string;
  relative: string;
  path: string;
  directory: string;
  file: string;
  query: string;
  anchor: string;
  pathNames: string[];
  queryKey: Record<string, string>;
  ipv6uri?: boolean;
}

const MAX_URI_LENGTH = 8000;
const SCHEME = /^(https?|wss?):\/\//;

/**
 * Splits an http(s)/ws(s) URI, or a scheme-less `host:port/path`, into its parts. Only these four schemes are
 * recognised, as in the official client; IPv6 hosts come without brackets and set `ipv6uri`.
 */
export function parse(uri: string): ParsedUri {
  if (uri.length > MAX_URI_LENGTH) {
    throw new Error(`URI too long (over ${MAX_URI_LENGTH} characters)`);
  }
  const scheme = SCHEME.exec(uri);
  const protocol = scheme ? scheme[1]! : "";

  const [beforeAnchor, anchor] = splitOnce(scheme ? uri.slice(scheme[0].length) : uri, "#");
  const [beforeQuery, query] = splitOnce(beforeAnchor, "?");
  const slash = beforeQuery.indexOf("/");
  const authority = slash === -1 ? beforeQuery : beforeQuery.slice(0, slash);
  const path = beforeQuery.slice(authority.length);

  // The user info ends at the last `@` (none: -1, so the slices give "" and the whole authority).
  const at = authority.lastIndexOf("@");
  const userInfo = authority.slice(0, Math.max(at, 0));
  const hostAndPort = authority.slice(at + 1);
  const [user, password] = splitOnce(userInfo, ":");

  // `[::1]:80` or `host:80`: the host ends after the `]` or at the `:`, the port text follows.
  const ipv6uri = hostAndPort.startsWith("[") && hostAndPort.includes("]");
  const brackets = ipv6uri ? 1 : 0;
  let hostEnd = ipv6uri ? hostAndPort.indexOf("]") + 1 : hostAndPort.indexOf(":");
  if (hostEnd === -1) hostEnd = hostAndPort.length;
  const host = hostAndPort.slice(brackets, hostEnd - brackets);
  const port = portOf(hostAndPort.slice(hostEnd));

  const lastSlash = path.lastIndexOf("/");
  const lastSegment = path.slice(lastSlash + 1);
  // Like the official parser: the last segment is a "file" only when it has an extension.
  const isFile = /\.[^./]+$/.test(lastSegment);
  const directory = isFile ? path.slice(0, lastSlash + 1) : path;
  const file = isFile ? lastSegment : "";

  const parsed: ParsedUri = {
    source: uri,
    protocol,
    authority: ipv6uri ? authority.replace("[", "").replace("]", "") : authority,
    userInfo,
    user,
    password,
    host,
    port,
    relative: path + (query || beforeAnchor !== beforeQuery ? `?${query}` : "") + (anchor ? `#${anchor}` : ""),
    path,
    directory,
    file,
    query,
    anchor,
    pathNames: path.split(/\/+/).filter((name) => name.length > 0),
    queryKey: queryKeyOf(query),
  };
  if (ipv6uri) parsed.ipv6uri = true;
  return parsed;
}

/** `:8080` gives `8080`; anything that is not a run of digits gives no port. */
function portOf(text: string): string {
  const match = /^:(\d*)$/.exec(text);
  return match ? match[1]! : "";
}

function queryKeyOf(query: string): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const pair of query.split("&")) {
    const [key, value] = splitOnce(pair, "=");
    if (key) keys[key] = value;
  }
  return keys;
}
