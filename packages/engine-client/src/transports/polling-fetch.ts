import { cookieJarOf } from "../cookie-jar";
import { Polling, type PollRequest } from "./polling";

/** HTTP long-polling over `fetch()` (browsers, service workers, Node 18+). */
export class Fetch extends Polling {
  protected startRequest({ method, uri, body, onLoad, onError }: PollRequest): () => void {
    const controller = new AbortController();
    const headers = new Headers(this.opts.extraHeaders);
    if (body !== undefined) headers.set("content-type", "text/plain;charset=UTF-8");
    // Only a Node fetch lets us send cookies; browsers keep their own and forbid the header.
    const cookieJar = typeof document === "undefined" ? cookieJarOf(this.socket, this.opts.withCredentials) : undefined;
    const cookie = cookieJar?.header();
    if (cookie) headers.set("cookie", cookie);
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (this.opts.requestTimeout) {
      const timeout = this.opts.requestTimeout;
      timer = this.setTimeoutFn(() => controller.abort(new Error(`polling request timed out after ${timeout} ms`)), timeout);
    }
    fetch(uri, {
      method,
      body: body ?? null,
      headers,
      credentials: this.opts.withCredentials ? "include" : "omit",
      signal: controller.signal,
    })
      .then(async (response) => {
        cookieJar?.parseCookies(response.headers.getSetCookie?.());
        if (!response.ok) {
          await response.body?.cancel();
          onError(response.status, response);
          return;
        }
        onLoad(await response.text());
      })
      .catch((err: unknown) => onError(err))
      .finally(() => this.clearTimeoutFn(timer));
    return () => controller.abort();
  }
}
