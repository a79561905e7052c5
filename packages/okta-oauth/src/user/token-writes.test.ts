/**
 * Sign-out's removal (`tokenWrites().remove`) when what it finds stored goes to `found` (the credential's naming and
 * revocation of it) and the storage's `removeIfEqual` throws: whatever `found` does, nothing is left rejected unhandled.
 */
import { useUnhandledRejections } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { tokenWrites } from './token-writes.js';

const unhandled = useUnhandledRejections();

describe('tokenWrites().remove', () => {
  // Before, `found`'s promise was awaited only after the removal: a removal that threw left it rejected, unhandled.
  it('removeIfEqual throwing while found() rejects: the removal fails with the storage error, no unhandled rejection', async () => {
    const storage = {
      get: () => '{"not":"tokens"}',
      set: () => undefined,
      remove: () => undefined,
      removeIfEqual: () => Promise.reject(new Error('store offline')),
    };
    const run = <T>(_: string, call: () => T | PromiseLike<T>) => Promise.resolve().then(call);
    const writes = tokenWrites({ storage, key: 'k', bounded: run, timeoutMs: 1000, current: () => undefined, exclusive: (call) => call(), logger: undefined });
    await expect(writes.remove(undefined, undefined, () => Promise.reject(new Error('revocation failed')))).rejects.toThrow('store offline');
    expect(await unhandled.settled()).toEqual([]);
  });
});
