import { defineConfig } from "tsup";
import { packageBuild } from "../../scripts/tsup-preset";

// dist/index.cjs holds the named exports; scripts/write-cjs-entry.mjs then adds dist/io.cjs, the CommonJS
// entry that is itself callable, and scripts/copy-client-dist.mjs copies io-client's browser bundles.
export default defineConfig(packageBuild({ index: "src/index.ts" }));
