import type * as nodeFs from 'node:fs';

/**
 * What a test makes the file system do before the CLI's next `rmSync` (throw, say, to make a lock's
 * removal fail); `undefined` between tests. Read by the `node:fs` that {@link withRmHook} builds.
 */
export const rmHook: { before: ((path: string) => void) | undefined } = { before: undefined };

/**
 * `node:fs` with its `rmSync` (the lock's removal) through {@link rmHook}, for a test file's mock:
 * `vi.mock('node:fs', async (original) => (await import('../test-helpers/rm-hook.js')).withRmHook(await original()))`.
 */
export function withRmHook(fs: typeof nodeFs): typeof nodeFs & { default: typeof nodeFs } {
  const rmSync = ((path: string, options?: object) => {
    rmHook.before?.(path);
    fs.rmSync(path, options);
  }) as typeof fs.rmSync;
  return { ...fs, rmSync, default: { ...fs, rmSync } };
}
