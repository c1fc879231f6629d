import type { SecureContextOptions } from "node:tls";
import type { SocketOptions } from "../socket-options";

/** The TLS options of the socket that Node's https and ws accept, leaving out those the user did not set. */
// Node accepts any Uint8Array where its types say Buffer.
export function tlsOptionsOf(opts: SocketOptions): SecureContextOptions & { rejectUnauthorized: boolean } {
  const tls: SecureContextOptions & { rejectUnauthorized: boolean } = {
    rejectUnauthorized: opts.rejectUnauthorized !== false,
  };
  if (opts.pfx !== undefined) tls.pfx = opts.pfx as SecureContextOptions["pfx"];
  if (opts.key !== undefined) tls.key = opts.key as SecureContextOptions["key"];
  if (opts.passphrase !== undefined) tls.passphrase = opts.passphrase;
  if (opts.cert !== undefined) tls.cert = opts.cert as SecureContextOptions["cert"];
  if (opts.ca !== undefined) tls.ca = opts.ca as SecureContextOptions["ca"];
  if (opts.ciphers !== undefined) tls.ciphers = opts.ciphers;
  return tls;
}
