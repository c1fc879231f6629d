// Imports a package by name and says why it cannot be benchmarked yet, instead of throwing:
// our packages are written while the bench runs, and one missing package must not stop the rest.

/**
 * @param {string} name
 * @param {string[]} requiredExports names the benchmark calls
 * @returns {Promise<{ module: Record<string, unknown> } | { unavailable: string }>}
 */
export async function loadModule(name, requiredExports) {
  /** @type {Record<string, unknown>} */ let namespace;
  try {
    namespace = await import(name);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { unavailable: `${name} does not import (${message}); build it first` };
  }
  // A CommonJS package may expose everything on `default` only.
  const fallback = /** @type {Record<string, unknown>} */ (namespace.default ?? {});
  /** @type {Record<string, unknown>} */ const module = {};
  for (const key of requiredExports) module[key] = namespace[key] ?? fallback[key];
  const missing = requiredExports.filter((key) => module[key] === undefined);
  if (missing.length > 0) return { unavailable: `${name} does not export ${missing.join(', ')}` };
  return { module };
}
