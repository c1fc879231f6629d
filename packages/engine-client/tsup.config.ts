import { defineConfig } from "tsup";
import { packageBuild } from "../../scripts/tsup-preset";

// Two entries with the same exports: Node (http, ws, cookie jar) and browsers (XHR/fetch, native WebSocket).
export default defineConfig(packageBuild({ index: "src/index.ts", browser: "src/browser.ts" }));
