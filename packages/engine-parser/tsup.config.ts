import { defineConfig } from "tsup";
import { packageBuild } from "../../scripts/tsup-preset";

export default defineConfig(
  packageBuild({ index: "src/index.ts", "index.browser": "src/index.browser.ts", v3: "src/v3/index.ts" }),
);
