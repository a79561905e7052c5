import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  clientSecretJwt,
  createMemoryTokenStore,
  generateDpopKeyPair,
  isOktaOAuthError,
  type ClientSecretJwtOptions,
  type DpopKeyPairOptions,
  type MemoryTokenStoreOptions,
} from './index.js';
import type * as ServiceAppEntry from './service-app-entry.js';
import type * as SignInEntry from './sign-in-entry.js';

// Every factory's options can be named by a user (to build them apart from the call, to wrap the
// factory): these were inline object types, so `Parameters<typeof f>[1]` was the only way.
// `tsc` (the package's typecheck) is what fails without the exports; the calls check that each
// named type is the one the factory reads.
describe('the options types of the root and /service-app factories are exported', () => {
  it('names each factory\'s options parameter (root and /service-app alike)', () => {
    expectTypeOf(clientSecretJwt).parameter(1).toEqualTypeOf<ClientSecretJwtOptions | undefined>();
    expectTypeOf(createMemoryTokenStore).parameter(0).toEqualTypeOf<MemoryTokenStoreOptions | undefined>();
    expectTypeOf(generateDpopKeyPair).parameter(1).toEqualTypeOf<DpopKeyPairOptions | undefined>();
    expectTypeOf<ServiceAppEntry.MemoryTokenStoreOptions>().toEqualTypeOf<MemoryTokenStoreOptions>();
    expectTypeOf<ServiceAppEntry.ClientSecretJwtOptions>().toEqualTypeOf<ClientSecretJwtOptions>();
    expectTypeOf<ServiceAppEntry.DpopKeyPairOptions>().toEqualTypeOf<DpopKeyPairOptions>();
    expectTypeOf<SignInEntry.ClientAuth>().toEqualTypeOf<ReturnType<typeof clientSecretJwt>>();
  });

  it('a value of each named type is what the factory reads', async () => {
    const bound: MemoryTokenStoreOptions = { maxEntries: 1 };
    const store = createMemoryTokenStore(bound);
    const entry = { accessToken: 'a', tokenType: 'Bearer', expiresAt: Date.now() + 3_600_000, lifetimeMs: 3_600_000 } as const;
    await store.set('first', entry);
    await store.set('second', entry);
    expect(await store.get('first')).toBeUndefined();

    const hs512: ClientSecretJwtOptions = { algorithm: 'HS512' };
    expect(clientSecretJwt('s'.repeat(32), hs512).method).toBe('client_secret_jwt');
    const wrong = { algorithm: 'HS1' } as unknown as ClientSecretJwtOptions;
    expect(() => clientSecretJwt('s'.repeat(32), wrong)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(isOktaOAuthError(new Error('x'))).toBe(false);

    const extractable: DpopKeyPairOptions = { extractable: true };
    const { privateKey } = await generateDpopKeyPair('ES256', extractable);
    expect(privateKey.extractable).toBe(true);
  });
});
