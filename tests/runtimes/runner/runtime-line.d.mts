// Types of tests/runtimes/runner/runtime-line.mjs, for the test that reads it back (tests/reliability).
/** The line the runtime matrix's runner prints when a runtime ends. */
export function runtimeLine(label: string, passed: number, failed: number, seconds: number): string;
/** The counts of a line runtimeLine wrote, or undefined for any other line. */
export function readRuntimeLine(line: string): { passed: number; failed: number } | undefined;
