// Types of scripts/import-cycles.mjs, for the test that runs it (tests/reliability).

/** The import cycles among the `.js` modules under `dir`, one per group of modules importing each other, each the shortest chain back to its first module (paths relative to `dir`); `[]` for none. */
export function importCycles(dir: string): string[][];
