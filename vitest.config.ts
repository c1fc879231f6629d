import { defineConfig } from "vitest/config";
import { projects } from "./vitest.workspace";

// Vitest 4 reads test projects from `test.projects` only; vitest.workspace.ts keeps the list.
export default defineConfig({
  test: {
    projects,
    // Two cores on CI: the network-heavy suites behave better without oversubscription.
    maxWorkers: 2,
  },
});
