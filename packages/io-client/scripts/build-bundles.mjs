// Builds the browser bundles that io-server serves (and copies into its client-dist):
//   dist/socket.io.js          readable classic script, global `io`, with debug logging
//   dist/socket.io.min.js      minified classic script, no logging at all
//   dist/socket.io.esm.min.js  minified ES module, no logging at all
// each with a .map file. Uses the esbuild that tsup ships with and the browser builds of the dependencies;
// the minified bundles get a second pass through uglify-js, whose compressor and frequency-ordered
// mangler save about 9% at gzip -9 over esbuild's minifier alone.
import { createRequire } from "node:module";
import { readFile, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import UglifyJS from "uglify-js";

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

/**
 * Leaves io-parser's speed-ups out of the minified bundles, replacing the modules that hold them with the plain
 * way they short-cut: the plain-JSON fast path of the encoder (same text as the usual path, which the encoder
 * takes when it gets `undefined`) and the decoder's single-listener `emitOne` (same as `emit`). They serve a
 * server's throughput; a browser encodes and decodes one client's packets.
 */
const IO_PARSER_SPEED_UPS = {
  "./plain-json": "export function stringifyPlain() { return undefined; }",
  "./emit-one": "export function emitOne(emitter, event, arg) { emitter.emit(event, arg); }",
};
const withoutSpeedUps = {
  name: "without-io-parser-speed-ups",
  setup(build) {
    build.onResolve({ filter: /^\.\/(plain-json|emit-one)$/ }, (args) =>
      args.importer.startsWith(join(ioParserSources, "")) ? { path: args.path, namespace: "io-parser-plain" } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "io-parser-plain" }, (args) => ({
      contents: IO_PARSER_SPEED_UPS[args.path],
      loader: "js",
    }));
  },
};

const ioParserSources = join(packageDir, "..", "io-parser", "src");

const common = {
  absWorkingDir: packageDir,
  bundle: true,
  platform: "browser",
  target: "es2022",
  sourcemap: true,
  // io-parser and engine-client are compiled from source with our own code (see tsconfig.bundle.json);
  // engine-parser's browser build (dist/browser) has a platform layer of its own, so it comes built.
  tsconfig: "tsconfig.bundle.json",
  alias: {
    "@sockwave/io-parser": "../io-parser/src/index.ts",
    "@sockwave/engine-client": "../engine-client/src/browser.ts",
  },
  legalComments: "none",
  logLevel: "warning",
};
const withoutDebug = {
  // whitespace is left to uglify-js, which then compresses the readable text a little better
  minifySyntax: true,
  minifyIdentifiers: true,
  pure: [STRIPPED_LOGGER],
  alias: { ...common.alias, debug: "./scripts/debug-noop.mjs", "component-emitter": "./scripts/component-emitter.mjs" },
  plugins: [stripDebug, withoutSpeedUps],
  // Internal members named `_x` get short names, consistently across the one bundle. Kept: the placeholder key
  // of the wire format, and the members socket.io-client's typings leave public (Manager#_readyState, ...).
  mangleProps: /^_/,
  reserveProps: /^_(placeholder|autoConnect|readyState|reconnecting|destroy|packet|close)$/,
};

/**
 * Minifies an esbuild output again with uglify-js and writes it with a source map that still points to the
 * original sources.
 */
async function writeMinified(result, outfile, module) {
  const code = result.outputFiles.find((file) => file.path.endsWith(".js")).text.replace(/\n\/\/# sourceMappingURL=.*\n?$/, "");
  const map = result.outputFiles.find((file) => file.path.endsWith(".js.map")).text;
  const minified = UglifyJS.minify(code, {
    module,
    // pure_getters: reading a property has no side effect in this code (the one getter with one, Socket#volatile,
    // is only read to chain); it lets uglify drop what the removed logging calls left of their arguments
    compress: { passes: 3, pure_getters: true, hoist_funs: true },
    mangle: { toplevel: true },
    sourceMap: { content: map, url: `${basename(outfile)}.map` },
  });
  if (minified.error) throw minified.error;
  await writeFile(join(packageDir, outfile), minified.code);
  await writeFile(join(packageDir, `${outfile}.map`), minified.map);
}

const minifiedBuild = (entry, outfile, format) =>
  esbuild.build({
    ...common,
    ...withoutDebug,
    entryPoints: [entry],
    outfile,
    format,
    write: false,
    metafile: true,
  });

const [, classic, esm] = await Promise.all([
  esbuild.build({ ...common, entryPoints: ["src/browser-global.ts"], outfile: "dist/socket.io.js", format: "iife" }),
  minifiedBuild("src/browser-global.ts", "dist/socket.io.min.js", "iife"),
  minifiedBuild("src/index.ts", "dist/socket.io.esm.min.js", "esm"),
]);
await writeMinified(classic, "dist/socket.io.min.js", false);
await writeMinified(esm, "dist/socket.io.esm.min.js", true);

// BUNDLE_META=1 prints what each input adds to the minified classic bundle, to keep it lean.
if (process.env.BUNDLE_META) {
  const output = classic.metafile.outputs["dist/socket.io.min.js"];
  const rows = Object.entries(output.inputs).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput);
  for (const [input, { bytesInOutput }] of rows) console.log(String(bytesInOutput).padStart(7), input);
}
