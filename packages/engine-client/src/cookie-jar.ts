/**
 * The cookies a Node client keeps for its session when `withCredentials` is set (browsers keep their own):
 * sticky-session load balancers route by cookie, so every request of a session must send them back.
 */
interface StoredCookie {
  value: string;
  /** Epoch ms; absent for a session cookie. */
  expires?: number;
}

export class CookieJar {
  private readonly cookies = new Map<string, StoredCookie>();

  /** Stores the cookies of `Set-Cookie` header values; malformed ones are skipped. */
  parseCookies(setCookieHeaders: readonly string[] | string | undefined | null): void {
    if (!setCookieHeaders) return;
    const values = typeof setCookieHeaders === "string" ? [setCookieHeaders] : setCookieHeaders;
    for (const header of values) this.store(header);
  }

  /** The `Cookie` header value for the next request, or undefined when the jar is empty. */
  header(): string | undefined {
    const now = Date.now();
    const pairs: string[] = [];
    for (const [name, cookie] of this.cookies) {
      if (cookie.expires !== undefined && cookie.expires <= now) this.cookies.delete(name);
      else pairs.push(`${name}=${cookie.value}`);
    }
    return pairs.length > 0 ? pairs.join("; ") : undefined;
  }

  private store(header: string): void {
    const [pair = "", ...attributes] = header.split(";");
    const equals = pair.indexOf("=");
    if (equals === -1) return;
    const name = pair.slice(0, equals).trim();
    if (name.length === 0) return;
    let value = pair.slice(equals + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    let expires: number | undefined;
    let maxAge: number | undefined;
    for (const attribute of attributes) {
      const separator = attribute.indexOf("=");
      if (separator === -1) continue;
      const key = attribute.slice(0, separator).trim().toLowerCase();
      const attributeValue = attribute.slice(separator + 1).trim();
      if (key === "expires") {
        const date = Date.parse(attributeValue);
        expires = Number.isNaN(date) ? 0 : date;
      } else if (key === "max-age") {
        const seconds = Number.parseInt(attributeValue, 10);
        maxAge = Number.isNaN(seconds) || seconds <= 0 ? 0 : Date.now() + seconds * 1000;
      }
    }
    const cookie: StoredCookie = { value };
    // Max-Age wins over Expires (RFC 6265 5.3); an expired cookie replaces, hence deletes, a stored one.
    const expiry = maxAge ?? expires;
    if (expiry !== undefined) cookie.expires = expiry;
    this.cookies.set(name, cookie);
  }
}

/** The socket's jar, created on first use when `withCredentials` is set; undefined otherwise. */
export function cookieJarOf(socket: { _cookieJar?: CookieJar }, withCredentials: boolean): CookieJar | undefined {
  if (!withCredentials) return undefined;
  socket._cookieJar ??= new CookieJar();
  return socket._cookieJar;
}
