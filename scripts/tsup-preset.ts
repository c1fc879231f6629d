import type { Options } from "tsup";

/**
 * The one build recipe every published package shares: ESM (`.js`) + CommonJS (`.cjs`) with
 * declarations for both (`.d.ts` / `.d.cts`) and source maps. A package passes its entry points
 * (`{ index: "src/index.ts", v3: "src/v3/index.ts" }`) and, rarely, overrides.
 */
export function packageBuild(entry: Record<string, string>, overrides: Options = {}): Options {
  return {
    entry,
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    clean: true,
    target: "es2022",
    splitting: false,
    tsconfig: "tsconfig.build.json",
    treeshake: true,
    ...overrides,
  };
}
