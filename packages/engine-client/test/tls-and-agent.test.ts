// The Node-only options: TLS (ca, rejectUnauthorized, key/cert) and a custom http.Agent, on both transports.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent as HttpAgent, createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { Agent as HttpsAgent, createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { attach } from "@sockwave/engine-server";
import { Socket, type SocketOptions } from "@sockwave/engine-client";

let key: string;
let cert: string;
const servers: HttpServer[] = [];
const clients: Socket[] = [];

beforeAll(() => {
  // A throwaway self-signed certificate for 127.0.0.1.
  const dir = mkdtempSync(join(tmpdir(), "engine-client-tls-"));
  try {
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")],
      { stdio: "ignore" },
    );
    key = readFileSync(join(dir, "key.pem"), "utf8");
    cert = readFileSync(join(dir, "cert.pem"), "utf8");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(secure: boolean): Promise<number> {
  const server = secure ? createHttpsServer({ key, cert }) : createHttpServer();
  servers.push(server);
  attach(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

function connect(uri: string, opts: SocketOptions): Socket {
  const client = new Socket(uri, opts);
  clients.push(client);
  return client;
}

function settle(client: Socket): Promise<string> {
  return new Promise((resolve) => {
    client.once("upgrade", () => resolve(`upgraded:${client.transport.name}`));
    client.once("open", () => {
      if (client.transport.name === "websocket") resolve("open:websocket");
    });
    client.once("close", (reason) => resolve(`close:${reason}`));
  });
}

describe.each([
  { name: "polling then websocket", transports: ["polling", "websocket"], opened: "upgraded:websocket" },
  { name: "websocket", transports: ["websocket"], opened: "open:websocket" },
])("TLS over $name", ({ transports, opened }) => {
  it("refuses a self-signed certificate by default", async () => {
    const port = await serve(true);
    expect(await settle(connect(`https://127.0.0.1:${port}`, { transports }))).toBe("close:transport error");
  });

  it("trusts the certificate given as ca", async () => {
    const port = await serve(true);
    expect(await settle(connect(`https://127.0.0.1:${port}`, { transports, ca: cert }))).toBe(opened);
  });

  it("connects with rejectUnauthorized: false", async () => {
    const port = await serve(true);
    expect(await settle(connect(`wss://127.0.0.1:${port}`, { transports, rejectUnauthorized: false }))).toBe(opened);
  });
});

describe("agent", () => {
  it("sends polling and WebSocket requests through the given http.Agent", async () => {
    const port = await serve(false);
    const agent = new HttpAgent({ keepAlive: true });
    let connections = 0;
    const createConnection = agent.createConnection.bind(agent);
    agent.createConnection = ((...args: Parameters<typeof createConnection>) => {
      connections++;
      return createConnection(...args);
    }) as typeof agent.createConnection;
    const client = connect(`http://127.0.0.1:${port}`, { agent });
    expect(await settle(client)).toBe("upgraded:websocket");
    // The handshake GET, the next GET or a POST, and the WebSocket each needed a connection of the agent.
    expect(connections).toBeGreaterThanOrEqual(2);
    agent.destroy();
  });

  it("uses an https.Agent's TLS settings", async () => {
    const port = await serve(true);
    const agent = new HttpsAgent({ ca: cert });
    const client = connect(`https://127.0.0.1:${port}`, { agent, transports: ["polling"] });
    expect(await new Promise((resolve) => client.once("open", () => resolve(client.transport.name)))).toBe("polling");
    agent.destroy();
  });
});
