// The browser build is src/index.ts with the Node binary handling (src/node/platform.ts) replaced by
// src/browser/platform.ts, as engine.io-parser does with its package.json "browser" field. Used by
// tsup.config.ts to build dist/browser/, and by the tests to check that very bundle.
import { resolve } from "node:path";
import type { Options } from "tsup";

type EsbuildPlugin = NonNullable<Options["esbuildPlugins"]>[number];

const BROWSER_PLATFORM = resolve(import.meta.dirname, "src/browser/platform.ts");

export function browserPlatform(): EsbuildPlugin {
  return {
    name: "sockwave:engine-parser-browser-platform",
    setup(build) {
      build.onResolve({ filter: /\/node\/platform$/ }, () => ({ path: BROWSER_PLATFORM }));
    },
  };
}
