// The browser bundles io-server serves: present, runnable, without logging in the minified ones, and small.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createContext, runInContext } from "node:vm";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";

const dist = join(import.meta.dirname, "..", "dist");

function built(name: string): string {
  try {
    return readFileSync(join(dist, name), "utf8");
  } catch {
    throw new Error(`dist/${name} is missing: build first (npx -y pnpm@10.34.9 --filter @sockwave/io-client run build)`);
  }
}

/** gzip -9 of the official socket.io-client 4.8.4 dist/socket.io.min.js */
const OFFICIAL_MIN_GZIP = 14_800;
/** The project's target: at most 0.85x the official bundle (12,400 bytes measured when this was set). */
const MAX_MIN_GZIP = Math.floor(OFFICIAL_MIN_GZIP * 0.85);

describe("browser bundles", () => {
  it(`keeps socket.io.min.js at most ${MAX_MIN_GZIP} bytes at gzip -9 (0.85x the official ${OFFICIAL_MIN_GZIP})`, () => {
    const size = gzipSync(built("socket.io.min.js"), { level: 9 }).length;
    expect(size).toBeLessThanOrEqual(MAX_MIN_GZIP);
  });

  it.each(["socket.io.js", "socket.io.min.js"])("%s defines the global io with the socket.io-client API", (file) => {
    const sandbox: Record<string, unknown> = {};
    sandbox.globalThis = sandbox;
    const context = createContext(sandbox);
    runInContext(built(file), context);
    const io = sandbox.io as ((...args: unknown[]) => unknown) & Record<string, unknown>;
    expect(typeof io).toBe("function");
    expect(io.protocol).toBe(5);
    expect(io.io).toBe(io);
    expect(io.connect).toBe(io);
    expect(typeof io.Manager).toBe("function");
    expect(typeof io.Socket).toBe("function");
    expect(built(`${file}.map`).length).toBeGreaterThan(0);
  });

  it("strips logging from the minified bundles and keeps it in the readable one", () => {
    expect(built("socket.io.js")).toContain("sockwave:io-client:manager");
    for (const file of ["socket.io.min.js", "socket.io.esm.min.js"]) {
      expect(built(file)).not.toContain("sockwave:");
      expect(built(file)).not.toContain("localStorage");
    }
  });

  it("ships an ES module with the named and default exports", () => {
    const esm = built("socket.io.esm.min.js");
    expect(esm).toMatch(/export\s*\{[^}]*as default/);
    for (const name of ["io", "connect", "Manager", "Socket", "protocol"]) expect(esm).toMatch(new RegExp(`as ${name}[,}]`));
    expect(built("socket.io.esm.min.js.map").length).toBeGreaterThan(0);
  });
});
