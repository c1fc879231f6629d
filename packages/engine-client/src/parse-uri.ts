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
    throw new Error(`URI too long: ${uri.length} characters (at most ${MAX_URI_LENGTH})`);
  }
  let rest = uri;
  const scheme = SCHEME.exec(rest);
  const protocol = scheme ? scheme[1]! : "";
  if (scheme) rest = rest.slice(scheme[0].length);

  const [beforeAnchor, anchor] = splitOnce(rest, "#");
  const [beforeQuery, query] = splitOnce(beforeAnchor, "?");
  const slash = beforeQuery.indexOf("/");
  const authority = slash === -1 ? beforeQuery : beforeQuery.slice(0, slash);
  const path = slash === -1 ? "" : beforeQuery.slice(slash);

  const at = authority.lastIndexOf("@");
  const userInfo = at === -1 ? "" : authority.slice(0, at);
  const hostAndPort = at === -1 ? authority : authority.slice(at + 1);
  const [user, password] = splitOnce(userInfo, ":");

  let host: string;
  let port = "";
  let ipv6uri = false;
  if (hostAndPort.startsWith("[") && hostAndPort.includes("]")) {
    const close = hostAndPort.indexOf("]");
    host = hostAndPort.slice(1, close);
    port = portOf(hostAndPort.slice(close + 1));
    ipv6uri = true;
  } else {
    const colon = hostAndPort.indexOf(":");
    host = colon === -1 ? hostAndPort : hostAndPort.slice(0, colon);
    port = colon === -1 ? "" : portOf(hostAndPort.slice(colon));
  }

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

function splitOnce(text: string, separator: string): [string, string] {
  const index = text.indexOf(separator);
  return index === -1 ? [text, ""] : [text.slice(0, index), text.slice(index + 1)];
}

/** `:8080` gives `8080`; anything that is not a run of digits gives no port. */
function portOf(text: string): string {
  const match = /^:(\d*)$/.exec(text);
  return match ? match[1]! : "";
}

function queryKeyOf(query: string): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const pair of query.split("&")) {
    const equals = pair.indexOf("=");
    const key = equals === -1 ? pair : pair.slice(0, equals);
    if (key) keys[key] = equals === -1 ? "" : pair.slice(equals + 1);
  }
  return keys;
}
