import type { ServerResponse } from "node:http";
import type { RawData } from "../packet";
import type { EngineRequest } from "../request";
import { Polling } from "./polling";

/** JSONP polling (`j` query parameter): bodies are wrapped in `___eio[j](...)`, posts are `d=<payload>`. */
export class JSONP extends Polling {
  private readonly head: string;

  constructor(req: EngineRequest) {
    super(req);
    this.head = "___eio[" + (req._query.j ?? "").replace(/[^0-9]/g, "") + "](";
  }

  protected override onData(data: RawData): void {
    const text = typeof data === "string" ? data : data.toString();
    const payload = new URLSearchParams(text).get("d");
    if (payload === null) return;
    // the client escapes newlines as "\\n"; an escaped backslash before "n" stays as is
    const unescaped = payload.replace(/(\\)?\\n/g, (match, slash: string | undefined) => (slash ? match : "\n"));
    super.onData(unescaped.replace(/\\\\n/g, "\\n"));
  }

  protected override doWrite(req: EngineRequest, res: ServerResponse, data: string | Buffer, compress: boolean): void {
    const text = typeof data === "string" ? data : data.toString();
    const js = JSON.stringify(text).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
    super.doWrite(req, res, this.head + js + ");", compress);
  }
}
