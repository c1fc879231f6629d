import { defineConfig } from "tsup";
import { packageBuild } from "../../scripts/tsup-preset";

// dist/index.cjs holds the named exports; scripts/write-cjs-entry.mjs then adds dist/io.cjs, the CommonJS
// entry that *is* the io function, and scripts/build-bundles.mjs the browser bundles.
export default defineConfig(packageBuild({ index: "src/index.ts" }));
