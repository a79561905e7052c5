/**
 * The Durable Object store against `@org/okta-emulator`'s `checkOktaStorage`, the contract of
 * `OktaStorage` users run on their own stores: the real OktaTokenStoreObject in this process, as the
 * package's other tests run it (over a Map standing for its storage; test/fleet.server.test.ts runs
 * it on workerd), the second handle a storage of its own on the same namespace (another isolate).
 * Values are kept as given (Cloudflare encrypts at rest): no entry is unreadable, so that rule is skipped.
 */
import { checkOktaStorage } from '@org/okta-emulator';
import { describe, expect, it } from 'vitest';
import { createDurableObjectTokenStorage } from './index.js';
import { maxValueChars } from './protocol.js';
import { objectNamespace } from './test-helpers/memory-storage.js';

describe('createDurableObjectTokenStorage: checkOktaStorage', () => {
  it('keeps every rule it offers, across two isolates, with values up to its limit', async () => {
    const { namespace, map } = objectNamespace();
    const report = await checkOktaStorage(() => createDurableObjectTokenStorage({ namespace }), {
      secondHandle: () => createDurableObjectTokenStorage({ namespace }),
      valueChars: maxValueChars,
    });
    expect(report.violations).toEqual([]);
    expect(report.skipped.map((skip) => skip.name)).toEqual(['unreadable-entries']);
    expect(report.passed).toHaveLength(17);
    // What the check wrote is removed (leases end with their flights).
    expect([...map.keys()].filter((key) => key.startsWith('e:'))).toEqual([]);
  });
});
