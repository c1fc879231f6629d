import { describe, expect, it } from "vitest";
import { url } from "../src/url";
import { Backoff } from "../src/backoff";

describe("url()", () => {
  it("keys Managers by protocol, host, port and request path, with default ports filled in", () => {
    const parsed = url("http://example.com/admin?token=abc", "/socket.io");
    expect(parsed.id).toBe("http://example.com:80/socket.io");
    expect(parsed.path).toBe("/admin");
    expect(parsed.query).toBe("token=abc");
    expect(parsed.queryKey).toEqual({ token: "abc" });
    expect(parsed.href).toBe("http://example.com:80");
    expect(url("https://example.com").port).toBe("443");
    expect(url("wss://example.com").port).toBe("443");
    expect(url("ws://example.com").port).toBe("80");
    expect(url("http://example.com:80").id).toBe(url("http://example.com").id);
  });

  it("defaults the path to / and brackets IPv6 hosts", () => {
    expect(url("http://localhost:3000").path).toBe("/");
    const v6 = url("http://[::1]:3000/chat");
    expect(v6.host).toBe("::1");
    expect(v6.id).toBe("http://[::1]:3000");
    expect(v6.path).toBe("/chat");
  });

  it("resolves relative and scheme-less URIs against the page location", () => {
    const loc = { protocol: "https:", host: "app.example.com:8443", port: "8443" };
    expect(url(undefined, "", loc).id).toBe("https://app.example.com:8443");
    const relative = url("/chat", "", loc);
    expect(relative.host).toBe("app.example.com");
    expect(relative.path).toBe("/chat");
    expect(relative.href).toBe("https://app.example.com");
    expect(url("//other.example.com/x", "", loc).host).toBe("other.example.com");
    expect(url("other.example.com:81", "", loc).protocol).toBe("https");
  });

  it("without a page location, assumes https for scheme-less URIs and explains what is missing", () => {
    expect(url("example.com:4000", "", undefined).id).toBe("https://example.com:4000");
    expect(() => url(undefined, "", undefined)).toThrow(/no URI was given/);
    expect(() => url("/chat", "", undefined)).toThrow(/needs a page location/);
  });
});

describe("Backoff", () => {
  it("doubles from min up to max without jitter and restarts after reset", () => {
    const backoff = new Backoff(100, 1000, 0);
    expect([1, 2, 3, 4, 5].map(() => backoff.duration())).toEqual([100, 200, 400, 800, 1000]);
    expect(backoff.attempts).toBe(5);
    backoff.reset();
    expect(backoff.duration()).toBe(100);
  });

  it("keeps jittered delays within min*2^n*(1±jitter) and under max", () => {
    for (let run = 0; run < 200; run++) {
      const backoff = new Backoff(1000, 5000, 0.5);
      const first = backoff.duration();
      expect(first).toBeGreaterThanOrEqual(500);
      expect(first).toBeLessThanOrEqual(1500);
      const second = backoff.duration();
      expect(second).toBeGreaterThanOrEqual(1000);
      expect(second).toBeLessThanOrEqual(3000);
    }
  });

  it("stays at a positive delay after thousands of attempts (no overflow to 0)", () => {
    const backoff = new Backoff(1000, 5000, 0.5);
    backoff.attempts = 5000;
    for (let i = 0; i < 100; i++) {
      const delay = backoff.duration();
      expect(delay).toBeGreaterThan(0);
      expect(delay).toBeLessThanOrEqual(5000);
    }
  });
});
