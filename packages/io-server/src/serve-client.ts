import { readFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { brotliCompress, constants as zlibConstants, gzip } from "node:zlib";
import debugModule from "debug";

const debug = debugModule("sockwave:io:serve-client");
const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** The browser bundles served under the engine path, each with its source map. */
export const CLIENT_FILES: ReadonlySet<string> = new Set(
  ["socket.io.js", "socket.io.min.js", "socket.io.esm.min.js"].flatMap((bundle) => [bundle, `${bundle}.map`]),
);

// This file sits in src/ (tests) or dist/ (published): either way one level below the package root.
const packageRoot = join(
  typeof __dirname === "string" ? __dirname : dirname(fileURLToPath(import.meta.url)),
  "..",
);

interface Encodings {
  identity: Buffer;
  gzip: Buffer;
  br: Buffer;
}

type ContentEncoding = keyof Encodings;

/** Picks br, gzip or identity from an Accept-Encoding header, honouring q-values (br wins ties). */
export function negotiateEncoding(header: string | undefined): ContentEncoding {
  if (!header) return "identity";
  let best: ContentEncoding = "identity";
  let bestQ = 0;
  let wildcardQ: number | undefined;
  const quality = new Map<string, number>();
  for (const part of header.split(",")) {
    const [rawName, ...params] = part.trim().split(";");
    const name = rawName!.trim().toLowerCase();
    let q = 1;
    for (const param of params) {
      const [key, value] = param.trim().split("=");
      if (key?.trim() === "q") q = Number(value);
    }
    if (!Number.isFinite(q)) q = 0;
    if (name === "*") wildcardQ = q;
    else quality.set(name, q);
  }
  for (const candidate of ["br", "gzip"] as const) {
    const q = quality.get(candidate) ?? wildcardQ ?? 0;
    if (q > bestQ) {
      best = candidate;
      bestQ = q;
    }
  }
  return best;
}

/**
 * Serves io-client's bundles from `client-dist/`: each file is read and compressed (gzip and
 * brotli) once, on first request, then answered from memory with a strong ETag.
 */
export class ClientBundles {
  private readonly files = new Map<string, Promise<Encodings | undefined>>();
  private etag: string | undefined;

  constructor(private readonly directory = join(packageRoot, "client-dist")) {}

  /** `"<io-server version>"`, the ETag of every bundle. */
  get expectedEtag(): string {
    if (this.etag === undefined) {
      let version = "0.0.0";
      try {
        version = (JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { version: string }).version;
      } catch (err) {
        debug("cannot read the package version: %s", err);
      }
      this.etag = `"${version}"`;
    }
    return this.etag;
  }

  /** Answers one request for a bundle (a name from CLIENT_FILES). */
  serve(filename: string, req: IncomingMessage, res: ServerResponse): void {
    const etag = this.expectedEtag;
    const isMap = filename.endsWith(".map");
    const ifNoneMatch = req.headers["if-none-match"];
    res.setHeader("Vary", "Accept-Encoding");
    if (ifNoneMatch && (ifNoneMatch === etag || ifNoneMatch === "W/" + etag)) {
      debug("serve client %s: 304", filename);
      res.setHeader("ETag", etag);
      res.writeHead(304);
      res.end();
      return;
    }
    const encoding = negotiateEncoding(req.headers["accept-encoding"] as string | undefined);
    this.load(filename).then(
      (encodings) => {
        if (!encodings) {
          debug("serve client %s: not built", filename);
          res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" });
          res.end(`${filename} is not available: @sockwave/io-client's bundles were not copied into client-dist/`);
          return;
        }
        const body = encodings[encoding];
        debug("serve client %s (%s, %d bytes)", filename, encoding, body.length);
        res.setHeader("Cache-Control", "public, max-age=0");
        res.setHeader("Content-Type", `application/${isMap ? "json" : "javascript"}; charset=utf-8`);
        res.setHeader("ETag", etag);
        if (encoding !== "identity") res.setHeader("Content-Encoding", encoding);
        res.setHeader("Content-Length", body.length);
        res.writeHead(200);
        res.end(req.method === "HEAD" ? undefined : body);
      },
      (err: unknown) => {
        debug("serve client %s failed: %s", filename, err);
        res.writeHead(500);
        res.end();
      },
    );
  }

  private load(filename: string): Promise<Encodings | undefined> {
    let pending = this.files.get(filename);
    if (!pending) {
      pending = readFile(join(this.directory, filename)).then(
        async (identity) => ({
          identity,
          gzip: await gzipAsync(identity, { level: 9 }),
          br: await brotliAsync(identity, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }),
        }),
        (err: NodeJS.ErrnoException) => {
          // A missing file may appear later (built after the server started): do not cache its absence.
          this.files.delete(filename);
          if (err.code === "ENOENT") return undefined;
          throw err;
        },
      );
      this.files.set(filename, pending);
    }
    return pending;
  }
}
