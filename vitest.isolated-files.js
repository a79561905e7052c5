// Test files that run with a module registry of their own. Every other file shares its worker's
// modules with the files before it (`isolate: false` in vitest.config.ts: importing the same modules
// again for every file took about a third of the run's CPU time). `vi.mock` replaces a module for its
// own file only, which holds only while no earlier file's import of it is cached in the worker, so a
// file that mocks a module is named so, and ESLint allows `vi.mock` nowhere else (docs/CONVENTIONS.md, Tests).
export const isolatedTestFiles = ['**/*.isolated.test.ts', '**/*.isolated.server.test.ts'];
