import { describe, expect, it } from "vitest";
import { CookieJar, parse } from "@sockwave/engine-client";

describe("parse (URI)", () => {
  it("splits a full URI into the fields io-client reads", () => {
    const uri = parse("https://user:pw@example.com:8443/socket.io/?token=a%20b&x#frag");
    expect(uri).toMatchObject({
      protocol: "https",
      authority: "user:pw@example.com:8443",
      userInfo: "user:pw",
      user: "user",
      password: "pw",
      host: "example.com",
      port: "8443",
      path: "/socket.io/",
      query: "token=a%20b&x",
      anchor: "frag",
      relative: "/socket.io/?token=a%20b&x#frag",
      pathNames: ["socket.io"],
      queryKey: { token: "a%20b", x: "" },
    });
    expect(uri.source).toBe("https://user:pw@example.com:8443/socket.io/?token=a%20b&x#frag");
  });

  it("accepts scheme-less hosts, bare paths and IPv6 literals", () => {
    expect(parse("localhost:3000")).toMatchObject({ protocol: "", host: "localhost", port: "3000", path: "" });
    expect(parse("ws://[::1]:4000/admin")).toMatchObject({ protocol: "ws", host: "::1", port: "4000", path: "/admin", ipv6uri: true });
    expect(parse("wss://chat.example/ns/file.js")).toMatchObject({ directory: "/ns/", file: "file.js", port: "" });
  });

  it("refuses URIs longer than 8000 characters with an error", () => {
    expect(() => parse(`http://x/${"a".repeat(8000)}`)).toThrow(/URI too long/);
  });
});

describe("CookieJar", () => {
  it("keeps the latest value of each cookie and drops expired ones", () => {
    const jar = new CookieJar();
    jar.parseCookies(["io=abc; Path=/; HttpOnly", 'quoted="v 1"', "sticky=1"]);
    jar.parseCookies(["sticky=2; Max-Age=3600", "old=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT"]);
    expect(jar.header()).toBe("io=abc; quoted=v 1; sticky=2");
    jar.parseCookies("io=gone; Max-Age=0");
    expect(jar.header()).toBe("quoted=v 1; sticky=2");
  });

  it("lets Max-Age win over Expires whatever their order", () => {
    const jar = new CookieJar();
    jar.parseCookies(["a=1; Max-Age=60; Expires=Thu, 01 Jan 1970 00:00:00 GMT"]);
    expect(jar.header()).toBe("a=1");
  });

  it("ignores malformed Set-Cookie values", () => {
    const jar = new CookieJar();
    jar.parseCookies(["novalue", "=nokey", "", "ok=1"]);
    jar.parseCookies(undefined);
    expect(jar.header()).toBe("ok=1");
  });
});
