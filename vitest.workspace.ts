import { existsSync, readdirSync } from "node:fs";
import { resolve } from "node:path";
import type { Plugin } from "vitest/config";

// The list of test projects: every package folder that has a `test/` directory.
// Each project runs its tests against the TypeScript sources of its workspace dependencies
// (see `sourcesOfWorkspacePackages`), so a change in one package is seen by the next without a build.

const packagesDir = resolve(import.meta.dirname, "packages");

/**
 * Resolves `@sockwave/<folder>` to `packages/<folder>/src/index.ts` and `@sockwave/<folder>/<sub>`
 * to `packages/<folder>/src/<sub>.ts` (or `src/<sub>/index.ts`): the same files tsup builds from.
 */
export function sourcesOfWorkspacePackages(): Plugin {
  return {
    name: "sockwave:workspace-sources",
    enforce: "pre",
    resolveId(id) {
      const match = /^@sockwave\/([\w-]+)(?:\/(.+))?$/.exec(id);
      if (!match) return null;
      const [, folder, sub] = match;
      const src = resolve(packagesDir, folder!, "src");
      const candidates = sub
        ? [resolve(src, `${sub}.ts`), resolve(src, sub, "index.ts")]
        : [resolve(src, "index.ts")];
      return candidates.find((file) => existsSync(file)) ?? null;
    },
  };
}

export const projects = readdirSync(packagesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(resolve(packagesDir, entry.name, "test")))
  .map((entry) => ({
    plugins: [sourcesOfWorkspacePackages()],
    test: {
      name: entry.name,
      root: resolve(packagesDir, entry.name),
      include: ["test/**/*.test.ts"],
      testTimeout: 20_000,
      hookTimeout: 20_000,
      typecheck: {
        enabled: existsSync(resolve(packagesDir, entry.name, "test", "types")),
        include: ["test/types/**/*.test-d.ts"],
        tsconfig: resolve(packagesDir, entry.name, "tsconfig.json"),
      },
    },
  }));

export default projects;
