import { Polling, type PollRequest } from "./polling";

/** HTTP long-polling over XMLHttpRequest: the default polling transport in browsers. */
export class XHR extends Polling {
  protected startRequest({ method, uri, body, onLoad, onError }: PollRequest): () => void {
    const xhr = new XMLHttpRequest();
    let done = false;
    try {
      xhr.open(method, uri, true);
      for (const [name, value] of Object.entries(this.opts.extraHeaders ?? {})) xhr.setRequestHeader(name, value);
      if (body !== undefined) xhr.setRequestHeader("Content-type", "text/plain;charset=UTF-8");
      xhr.setRequestHeader("Accept", "*/*");
      xhr.withCredentials = this.opts.withCredentials;
      if (this.opts.requestTimeout) xhr.timeout = this.opts.requestTimeout;
      xhr.onreadystatechange = () => {
        if (xhr.readyState !== 4 || done) return;
        done = true;
        // 1223 is how old IE reported a 204.
        if (xhr.status === 200 || xhr.status === 1223) onLoad(xhr.responseText);
        // A status of 0 (network error, CORS) is reported after this handler, as the official client does.
        else this.setTimeoutFn(() => onError(xhr.status, xhr), 0);
      };
      xhr.send(body ?? null);
    } catch (err) {
      done = true;
      this.setTimeoutFn(() => onError(err, xhr), 0);
    }
    return () => {
      done = true;
      xhr.onreadystatechange = null;
      xhr.abort();
    };
  }
}
