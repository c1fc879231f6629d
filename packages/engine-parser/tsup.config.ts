import { defineConfig } from "tsup";
import { packageBuild } from "../../scripts/tsup-preset";
import { browserPlatform } from "./browser-build";

export default defineConfig([
  // the Node build cleans dist/ but leaves dist/browser/ to the browser build running alongside
  packageBuild({ index: "src/index.ts", v3: "src/v3/index.ts" }, { clean: ["!browser/**"] }),
  // same API and declarations (dist/index.d.ts), other binary handling: see browser-build.ts
  packageBuild(
    { index: "src/index.ts" },
    { outDir: "dist/browser", platform: "browser", dts: false, esbuildPlugins: [browserPlatform()] },
  ),
]);
