/**
 * checkOktaStorage on a storage that keeps the whole contract (every rule passes), then on a table of
 * stores each broken in one way, each failing with the rule it breaks, named, and no stored value in the report.
 */
import { describe, expect, it } from 'vitest';
import { checkOktaStorage, isOktaEmulatorError, type OktaStorageCheckName, type OktaStorageCheckReport } from '../index.js';
import { answer, referenceCase, referenceStorage, type Backing, type Handle } from './test-helpers/reference-storage.js';

const allRules: OktaStorageCheckName[] = [
  'get-missing',
  'set-get',
  'set-replaces',
  'remove',
  'key-characters',
  'expires-at',
  'stale-read',
  'remove-if-equal',
  'remove-if-equal-race',
  'replace-if-equal',
  'replace-if-equal-race',
  'unreadable-entries',
  'single-flight-once',
  'single-flight-fresh',
  'single-flight-error',
  'single-flight-stored',
  'single-flight-abort',
  'declared-bounds',
];

/** Every value the check writes holds `"pad":"`: a report that quotes one fails here. */
function expectNoValueIn(report: OktaStorageCheckReport): void {
  expect(JSON.stringify(report)).not.toContain('pad');
}

/** A handle on `backing` with some methods replaced (`base` the reference's own). */
const broken = (change: (base: Handle) => Partial<Handle>) => (backing: Backing) => {
  const base = referenceStorage(backing);
  return { ...base, ...change(base) };
};

const after = <T>(value: T): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(value), 1));

/** A read cache per handle that only its own writes update (a process's cache over a shared store). */
function staleCache(base: Handle): Partial<Handle> {
  const cache = new Map<string, string | undefined>();
  return {
    get: (key) => answer(cache.has(key) ? cache.get(key) : (cache.set(key, base.read(key)), base.read(key))),
    set: (key, value) => answer(void (base.write(key, value), cache.set(key, value))),
    remove: (key) => answer(void (base.drop(key), cache.delete(key))),
  };
}

const rows: [string, (backing: Backing) => Handle, OktaStorageCheckName[], number?][] = [
  // Every rule that reads a key it removed, or never wrote, meets it too.
  [
    'get answers an empty string for a missing key',
    broken((base) => ({ get: (key) => answer(base.read(key) ?? '') })),
    ['get-missing', 'remove', 'stale-read', 'remove-if-equal', 'remove-if-equal-race', 'replace-if-equal', 'replace-if-equal-race', 'unreadable-entries', 'single-flight-stored'],
  ],
  ['values cut at 16,384 characters', broken((base) => ({ set: (key, value) => answer(base.write(key, value.slice(0, 16_384))) })), ['set-get']],
  ['remove of a missing key throws', broken((base) => ({ remove: (key) => (base.read(key) === undefined ? Promise.reject(new Error('no such key')) : answer(base.drop(key))) })), ['remove']],
  ['set drops keys with : or /', broken((base) => ({ set: (key, value) => answer(/[:/]/.test(key) ? undefined : base.write(key, value)) })), ['key-characters']],
  ['keys case-folded', broken((base) => ({ get: (key) => answer(base.read(key.toLowerCase())), set: (key, value) => answer(base.write(key.toLowerCase(), value)) })), ['key-characters']],
  ['keys cut at 255 characters', broken((base) => ({ get: (key) => answer(base.read(key.slice(0, 255))), set: (key, value) => answer(base.write(key.slice(0, 255), value)) })), ['key-characters']],
  [
    "{ expiresAt: undefined } read as already expired ('expiresAt' in options)",
    broken((base) => ({ set: (key, value, options) => answer(options !== undefined && 'expiresAt' in options && !((options.expiresAt ?? Number.NaN) > Date.now()) ? base.drop(key) : base.write(key, value)) })),
    ['expires-at'],
  ],
  // Every rule that reads on the first handle what the other changed meets it too.
  [
    'get answers from a per-handle cache',
    broken(staleCache),
    ['stale-read', 'remove-if-equal', 'remove-if-equal-race', 'replace-if-equal', 'replace-if-equal-race', 'single-flight-fresh', 'single-flight-stored'],
  ],
  ['removeIfEqual that always deletes', broken((base) => ({ removeIfEqual: (key) => answer((base.drop(key), true)) })), ['remove-if-equal', 'remove-if-equal-race']],
  [
    'removeIfEqual as a get, then a remove',
    broken((base) => ({ removeIfEqual: async (key, value) => (await after(base.read(key))) === value && (base.drop(key), true) })),
    ['remove-if-equal-race'],
  ],
  ['replaceIfEqual that always succeeds', broken((base) => ({ replaceIfEqual: (key, _expected, value) => answer((base.write(key, value), true)) })), ['replace-if-equal', 'replace-if-equal-race']],
  [
    'replaceIfEqual as a get, then a set',
    broken((base) => ({ replaceIfEqual: async (key, expected, value) => (await after(base.read(key))) === expected && (base.write(key, value), true) })),
    ['replace-if-equal-race'],
  ],
  ['removeIfUnreadable that deletes readable entries', broken((base) => ({ removeIfUnreadable: (key) => answer(base.backing.texts.has(key) && (base.drop(key), true)) })), ['unreadable-entries']],
  ['get throws on an entry it cannot read', broken((base) => ({ get: (key) => (base.backing.texts.has(key) && base.read(key) === undefined ? Promise.reject(new Error('bad seal')) : answer(base.read(key))) })), ['unreadable-entries']],
  [
    'singleFlight that runs obtain for every caller',
    broken((base) => ({
      singleFlight: async (key, obtain, { fresh }) => {
        const held = base.read(key);
        if (held !== undefined && (fresh?.(held) ?? true)) return held;
        const { value } = await obtain();
        base.write(key, value);
        return value;
      },
    })),
    ['single-flight-once'],
  ],
  ['singleFlight that hands out any stored value', broken((base) => ({ singleFlight: (key, obtain, options) => base.singleFlight!(key, obtain, { ...options, fresh: () => true }) })), ['single-flight-fresh', 'single-flight-stored']],
  [
    "singleFlight that wraps obtain's error",
    broken((base) => ({ singleFlight: (key, obtain, options) => base.singleFlight!(key, () => obtain().catch(() => Promise.reject(new Error('token request failed'))), options) })),
    ['single-flight-error'],
  ],
  [
    'singleFlight that writes a renewal over a removal',
    broken((base) => ({ singleFlight: (key, obtain, options) => base.singleFlight!(key, obtain, { ...options, stored: options.stored === true && base.read(key) === undefined ? true : undefined }) })),
    ['single-flight-stored'],
  ],
  ['singleFlight whose waiter ignores its signal', broken((base) => ({ singleFlight: (key, obtain, options) => base.singleFlight!(key, obtain, { ...options, signal: undefined }) })), ['single-flight-abort'], 1000],
  ['timeoutMs 0 declared', broken(() => ({ timeoutMs: 0 })), ['declared-bounds']],
  ['fleetWaitMs of two hours declared', broken(() => ({ fleetWaitMs: 7_200_000 })), ['declared-bounds']],
];

describe('checkOktaStorage', () => {
  it('passes a storage that keeps the contract, every rule checked', async () => {
    const { create, options } = referenceCase();
    const report = await checkOktaStorage(create, options);
    expect(report).toEqual({ violations: [], passed: allRules, skipped: [] });
  });

  it('skips what a plain get/set/remove store does not offer, and passes it', async () => {
    const map = new Map<string, string>();
    const report = await checkOktaStorage(() => ({ get: (key: string) => map.get(key), set: (key: string, value: string) => void map.set(key, value), remove: (key: string) => void map.delete(key) }));
    expect(report.violations).toEqual([]);
    expect(report.skipped.map((skip) => skip.name)).toEqual(allRules.filter((name) => !['get-missing', 'set-get', 'set-replaces', 'remove', 'key-characters', 'expires-at', 'stale-read'].includes(name)));
    // Every key it wrote is removed at the end.
    expect(map.size).toBe(0);
  });

  it.each(rows)('fails a store whose %s', async (_name, make, names, stepTimeoutMs) => {
    const { create, options } = referenceCase(make);
    const report = await checkOktaStorage(create, { ...options, stepTimeoutMs });
    expect(report.violations.map((violation) => violation.name)).toEqual(names);
    expect(report.passed).toEqual(allRules.filter((name) => !names.includes(name) && !report.skipped.some((skip) => skip.name === name)));
    for (const violation of report.violations) expect(violation.message.length).toBeGreaterThan(40);
    expectNoValueIn(report);
  });

  it("leaves the store empty after a store whose singleFlight waiter ignores its signal (a call that outlived its step wrote after it)", async () => {
    const ignoresSignal = rows.find(([name]) => name === 'singleFlight whose waiter ignores its signal');
    const { create, options } = referenceCase(ignoresSignal?.[1]);
    const backings: Backing[] = [];
    const report = await checkOktaStorage(
      () => {
        const handle = create();
        backings.push(handle.backing);
        return handle;
      },
      { ...options, stepTimeoutMs: 1000 },
    );
    expect(report.violations.map((violation) => violation.name)).toEqual(['single-flight-abort']);
    // Before, the flight's key (written an hour ahead) once its obtain ended, after the removal at the end of its rule.
    expect(backings.flatMap((backing) => [...backing.texts.keys()])).toEqual([]);
    expect(backings.flatMap((backing) => [...backing.flights.keys()])).toEqual([]);
  });

  it("quotes a store error's name and code only when they read as an error's (AbortError, ECONNRESET), never a token-shaped word", async () => {
    // Token-shaped: an access token's segment, an SSWS token, in the name or code of what the store threw.
    const token = '00aB3xYz9QwErTyUiOp_-LkJhGfDsA';
    const thrown = [
      [Object.assign(new Error('x'), { name: token, code: token }), 'threw an error.'],
      [Object.assign(new Error('x'), { name: 'eyJhbGciOiJSUzI1NiJ9', code: 'AKIAIOSFODNN7EXAMPLE' }), 'threw an error.'],
      [Object.assign(new Error('x'), { name: 'TypeError', code: 'ECONNRESET' }), 'threw TypeError (code ECONNRESET).'],
      [Object.assign(new DOMException('x', 'AbortError'), {}), 'threw AbortError.'],
      [Object.assign(new Error('x'), { code: 'FLEET_WAIT_EXCEEDED' }), 'threw Error (code FLEET_WAIT_EXCEEDED).'],
    ] as const;
    for (const [error, shown] of thrown) {
      const report = await checkOktaStorage(() => ({ get: () => Promise.reject(error), set: () => undefined, remove: () => undefined }));
      const message = report.violations.find((violation) => violation.name === 'get-missing')?.message;
      // Before, the token-shaped name and code were quoted (\w{1,60}).
      expect(message).toMatch(new RegExp(`${shown.replace(/[().]/g, '\\$&')}$`));
      expect(JSON.stringify(report)).not.toContain(token);
      expect(JSON.stringify(report)).not.toMatch(/eyJhbGci|AKIAIOSFODNN7/);
    }
  });

  it('bounds create() and secondHandle() by stepTimeoutMs: one that never settles rejects naming it; one that throws rejects as itself', async () => {
    const never = (): Promise<never> => new Promise<never>(() => undefined);
    const pending = Symbol('still pending');
    // A guard for the failure's sake only (before: both hung for ever); nothing is asserted on time.
    const outcome = (check: () => Promise<unknown>) =>
      Promise.race([check().catch((error: unknown) => error), new Promise((resolve) => setTimeout(() => resolve(pending), 5000))]);
    const hung = [await outcome(() => checkOktaStorage(never, { stepTimeoutMs: 200 })), await outcome(() => checkOktaStorage(() => referenceStorage(), { stepTimeoutMs: 200, secondHandle: never }))];
    expect(hung.map((error) => (isOktaEmulatorError(error) ? [error.code, error.option, error.message] : error))).toEqual([
      ['INVALID_OPTION', 'create', "checkOktaStorage: create did not settle within 200 ms (stepTimeoutMs): it must make the storage, and every call must end (bound your store's own calls)."],
      ['INVALID_OPTION', 'secondHandle', "checkOktaStorage: secondHandle did not settle within 200 ms (stepTimeoutMs): it must make the storage, and every call must end (bound your store's own calls)."],
    ]);
    class Mine extends Error {}
    const thrown = new Mine('no database');
    const fail = (): never => {
      throw thrown;
    };
    expect(await outcome(() => checkOktaStorage(fail))).toBe(thrown);
    expect(await outcome(() => checkOktaStorage(() => referenceStorage(), { secondHandle: fail }))).toBe(thrown);
  });

  it('refuses what it cannot use, naming the option', async () => {
    const refusals = await Promise.all(
      [
        () => checkOktaStorage(undefined as never),
        () => checkOktaStorage(() => ({}) as never),
        () => checkOktaStorage(() => referenceStorage(), 'x' as never),
        () => checkOktaStorage(() => referenceStorage(), { secondHandle: 1 as never }),
        () => checkOktaStorage(() => referenceStorage(), { valueChars: 0 }),
        () => checkOktaStorage(() => referenceStorage(), { stepTimeoutMs: Number.POSITIVE_INFINITY }),
      ].map((call) => call().catch((error: unknown) => error)),
    );
    expect(refusals.map((error) => (isOktaEmulatorError(error) ? `${error.code} ${error.option}` : String(error)))).toEqual([
      'INVALID_OPTION create',
      'INVALID_OPTION create',
      'INVALID_OPTION options',
      'INVALID_OPTION secondHandle',
      'INVALID_OPTION valueChars',
      'INVALID_OPTION stepTimeoutMs',
    ]);
  });
});
