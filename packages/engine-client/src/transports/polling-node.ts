import { request as httpRequest, type Agent, type IncomingMessage, type OutgoingHttpHeaders } from "node:http";
import { request as httpsRequest, type RequestOptions } from "node:https";
import { cookieJarOf } from "../cookie-jar";
import { tlsOptionsOf } from "./tls-options";
import { Polling, type PollRequest } from "./polling";

/** A polling response larger than this is refused: a broken server must not exhaust the client's memory. */
const MAX_RESPONSE_BYTES = 100 * 1024 * 1024;

/** HTTP long-polling in Node, over `node:http` / `node:https` (the official client's `NodeXHR`). */
export class NodePolling extends Polling {
  protected startRequest(pollRequest: PollRequest): () => void {
    const { method, uri, body, onLoad, onError } = pollRequest;
    const headers: OutgoingHttpHeaders = { accept: "*/*", ...this.opts.extraHeaders };
    const payload = body === undefined ? undefined : Buffer.from(body, "utf8");
    if (payload) {
      headers["content-type"] = "text/plain;charset=UTF-8";
      headers["content-length"] = payload.length;
    }
    const cookieJar = cookieJarOf(this.socket, this.opts.withCredentials);
    const cookie = cookieJar?.header();
    if (cookie) headers.cookie = cookie;

    const options: RequestOptions = { method, headers };
    if (this.opts.agent && typeof this.opts.agent === "object") options.agent = this.opts.agent as Agent;
    if (this.opts.secure) Object.assign(options, tlsOptionsOf(this.opts));

    let request: ReturnType<typeof httpRequest>;
    try {
      request = (this.opts.secure ? httpsRequest : httpRequest)(uri, options);
    } catch (err) {
      // An invalid header value or URL throws synchronously; report it like any other failure.
      this.setTimeoutFn(() => onError(err), 0);
      return () => {};
    }
    let aborted = false;
    if (this.opts.requestTimeout) {
      const timeout = this.opts.requestTimeout;
      request.setTimeout(timeout, () => request.destroy(new Error(`polling request timed out after ${timeout} ms`)));
    }
    if (this.opts.autoUnref) request.on("socket", (socket) => socket.unref());
    request.on("error", (err) => {
      if (!aborted) onError(err, request);
    });
    request.on("response", (response: IncomingMessage) => {
      cookieJar?.parseCookies(response.headers["set-cookie"]);
      if (response.statusCode !== 200) {
        response.resume();
        onError(response.statusCode, response);
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES) {
          request.destroy(new Error(`polling response larger than ${MAX_RESPONSE_BYTES} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      response.on("end", () => {
        if (!aborted && response.complete) onLoad(Buffer.concat(chunks, size).toString("utf8"));
      });
      response.on("error", (err) => {
        if (!aborted) onError(err, request);
      });
    });
    request.end(payload);
    return () => {
      aborted = true;
      request.destroy();
    };
  }
}
