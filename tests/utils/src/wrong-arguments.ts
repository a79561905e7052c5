/**
 * What a JavaScript caller (no types) may pass where an options object, a URL or a function goes,
 * each with a label for the failure message: the argument sweeps of the libraries' exports
 * (`tests/reliability/src/public-arguments.server.test.ts`) and of the emulator's handle
 * (`packages/okta-emulator/src/handle-arguments.server.test.ts`) call every function with each.
 */
export const wrongArguments: readonly (readonly [label: string, value: unknown])[] = [
  ['nothing', undefined],
  ['null', null],
  ['a number', 42],
  ['a string', 'text'],
  ['an array', []],
];
