import { defineConfig } from "tsup";
import { packageBuild } from "../../scripts/tsup-preset";

// Shared chunks: the `testing` entry must use the very classes of the main entry (instanceof, one copy).
export default defineConfig(packageBuild({ index: "src/index.ts", testing: "src/testing/index.ts" }, { splitting: true }));
