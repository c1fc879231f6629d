// Guards the root against `npm install`: npm does not understand pnpm workspaces and leaves a
// broken tree. The README's commands (`npm test`, `npm start`) call pnpm themselves.
const agent = process.env.npm_config_user_agent || "";
if (!agent.startsWith("pnpm/")) {
  console.error(
    "\nSockwave is a pnpm workspace: `npm install` cannot install it.\n" +
      "Run `npm test` (installs, builds and tests everything) or `npm start` (the demo),\n" +
      "or install with `npx -y pnpm@10.34.9 install`.\n",
  );
  process.exit(1);
}
