/**
 * The CLI's token file against `@org/okta-emulator`'s `checkOktaStorage`, the contract of
 * `OktaStorage` users run on their own stores: a file per profile, the second handle another
 * `fileStorage` on the same path (another okta-auth run). Its `singleFlight` holds the file's lock
 * across the token request, so a removal during it waits for the lock (and, from this same process,
 * whose calls are synchronous, is refused after the lock's 5 s wait): nothing lands between.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkOktaStorage } from '@org/okta-emulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from './test-helpers/cli.js';
import { fileStorage } from './token-file.js';

let box: Sandbox;
beforeEach(() => {
  box = sandbox();
});
afterEach(() => {
  box.remove();
});

describe('the token file: checkOktaStorage', () => {
  it('keeps every rule it offers, across two runs on one file', async () => {
    const path = join(box.xdg, 'okta-auth', 'tokens', 'conformance.json');
    const report = await checkOktaStorage(() => fileStorage(path), { secondHandle: () => fileStorage(path) });
    expect(report.violations).toEqual([]);
    // No removeIfUnreadable (an entry it cannot read is replaced by the next sign-in), no replaceIfEqual, no timeoutMs or fleetWaitMs declared by default.
    expect(report.skipped.map((skip) => skip.name)).toEqual(['replace-if-equal', 'replace-if-equal-race', 'unreadable-entries', 'declared-bounds']);
    // What the check wrote is removed: the file with it.
    expect(existsSync(path)).toBe(false);
  });
});
