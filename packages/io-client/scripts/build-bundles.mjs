// Builds the browser bundles that io-server serves (and copies into its client-dist):
//   dist/socket.io.js          readable classic script, global `io`, with debug logging
//   dist/socket.io.min.js      minified classic script, no logging at all
//   dist/socket.io.esm.min.js  minified ES module, no logging at all
// each with a .map file. Uses the esbuild that tsup ships with, and the browser builds of the dependencies.
import { createRequire } from "node:module";
import { readFile } from "node:fs/promises";
import { join } from "node:path";

const packageDir = join(import.meta.dirname, "..");
const require = createRequire(createRequire(import.meta.url).resolve("tsup"));
const esbuild = require("esbuild");

/** The global name logging calls are renamed to; `pure` tells esbuild such calls can be dropped. */
const STRIPPED_LOGGER = "__sockwave_debug__";

/**
 * Removes logging from our packages: every call of a logger made by the `debug` factory is renamed to a
 * global that esbuild treats as pure, so the minifier drops the calls with their messages, and the logger
 * declarations are deleted once nothing else refers to them (`debug` itself is aliased to a no-op).
 */
const stripDebug = {
  name: "strip-debug",
  setup(build) {
    build.onLoad({ filter: /\.(ts|js|mjs)$/ }, async (args) => {
      if (args.path.includes("node_modules/.pnpm")) return undefined; // third-party code logs nothing of ours
      let source = await readFile(args.path, "utf8");
      const loader = args.path.endsWith(".ts") ? "ts" : "js";
      const factory = /import\s+([\w$]+)\s+from\s+["']debug["']/.exec(source)?.[1];
      if (!factory) return { contents: source, loader };
      const declaration = new RegExp(`(?:const|let|var)\\s+([\\w$]+)\\s*=\\s*${escape(factory)}\\(\\s*["'][^"']*["']\\s*\\);?`, "g");
      for (const [text, logger] of [...source.matchAll(declaration)]) {
        source = source.replace(new RegExp(`(^|[^\\w$.])${escape(logger)}\\(`, "gm"), `$1${STRIPPED_LOGGER}(`);
        const otherUses = new RegExp(`(^|[^\\w$.'"])${escape(logger)}\\b`, "gm");
        if ([...source.matchAll(otherUses)].length === 1) source = source.replace(text, "");
      }
      return { contents: source, loader };
    });
  },
};

function escape(name) {
  return name.replace(/\$/g, "\\$");
}

const common = {
  absWorkingDir: packageDir,
  bundle: true,
  platform: "browser",
  target: "es2022",
  sourcemap: true,
  tsconfig: "tsconfig.build.json",
  legalComments: "none",
  logLevel: "warning",
};
const withoutDebug = {
  minify: true,
  pure: [STRIPPED_LOGGER],
  alias: { debug: "./scripts/debug-noop.mjs" },
  plugins: [stripDebug],
};

const results = await Promise.all([
  esbuild.build({ ...common, entryPoints: ["src/browser-global.ts"], outfile: "dist/socket.io.js", format: "iife" }),
  esbuild.build({
    ...common,
    ...withoutDebug,
    entryPoints: ["src/browser-global.ts"],
    outfile: "dist/socket.io.min.js",
    format: "iife",
    metafile: !!process.env.BUNDLE_META,
  }),
  esbuild.build({ ...common, ...withoutDebug, entryPoints: ["src/index.ts"], outfile: "dist/socket.io.esm.min.js", format: "esm" }),
]);

// BUNDLE_META=1 prints what each input adds to the minified classic bundle, to keep it lean.
if (process.env.BUNDLE_META) {
  const output = results[1].metafile.outputs["dist/socket.io.min.js"];
  const rows = Object.entries(output.inputs).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput);
  for (const [input, { bytesInOutput }] of rows) console.log(String(bytesInOutput).padStart(7), input);
}
