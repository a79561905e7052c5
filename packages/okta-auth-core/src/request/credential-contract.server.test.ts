/**
 * A custom credential's contract, checked where the core takes it, against the emulator through
 * every driver (ru153): an `authorize` that resolves no `authorization` string (undefined, `{}`) is
 * `INVALID_CONFIG` before anything is sent (the call went out unauthenticated, and Okta's 403
 * blamed Okta); an `origin` that is no origin (a trailing slash, garbage) is `INVALID_CONFIG` when
 * the client is made (every call was `ORIGIN_MISMATCH` naming the very origin called); a bad
 * `timeoutMs` it carries is named `credential.timeoutMs`, not the client's option.
 */
import { failure } from '@org/okta-test-utils';
import ky from 'ky';
import { describe, expect, it } from 'vitest';
import type { AuthorizationHeaders, OktaCredential } from '../credential.js';
import { isOktaAuthError } from '../errors/errors.js';
import { createOktaKy } from '../ky/create-okta-ky.js';
import { oktaKyHooks } from '../ky/hooks.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { executeOktaRequest } from './execute.js';
import { createOktaFetch } from './okta-fetch.js';

const org = useApiTokenOrg();

const path = 'api/v1/users?limit=1';
/** Each driver's one call; made inside the promise, so a refusal when the client is made rejects it too. */
const drivers: Record<string, (credential: OktaCredential) => Promise<Response>> = {
  createOktaFetch: async (credential) => createOktaFetch({ credential })(`/${path}`),
  executeOktaRequest: async (credential) => executeOktaRequest(() => Promise.resolve(new Request(`${org.org.url}/${path}`)), { credential, origin: credential.origin }),
  createOktaKy: async (credential) => createOktaKy({ credential })(path),
  'oktaKyHooks on your own instance': async (credential) => ky.create({ baseUrl: `${org.org.url}/`, hooks: oktaKyHooks({ credential }) })(path),
};

const vault = (fields: Partial<OktaCredential>): OktaCredential => ({ kind: 'vault', origin: org.org.url, authorize: () => Promise.resolve({ authorization: `SSWS ${org.token}` }), ...fields });
const usersAsked = () => org.org.counters().requests['GET /api/v1/users'] ?? 0;

describe.each(Object.entries(drivers))("a custom credential's contract through %s", (_, send) => {
  it.for([
    ['undefined', undefined],
    ['{}', {}],
    ['only another header', { 'x-tenant': 'a' }],
  ] as const)('an authorize that resolves %s is INVALID_CONFIG naming the kind, nothing sent', async ([, headers]) => {
    const error = await failure(send(vault({ authorize: () => Promise.resolve(headers as unknown as AuthorizationHeaders) })), isOktaAuthError);
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toMatch(/^The vault credential gave "authorization" header value that cannot be sent \(none, .*: its authorize\(attempt\) must resolve \{ authorization: string \}, .* Nothing was sent;/);
    expect(usersAsked()).toBe(0);
  });

  it.for(['/', '/api', ':443'])('an origin with %s appended is INVALID_CONFIG naming credential.origin, nothing sent', async (tail) => {
    const error = await failure(send(vault({ origin: `${org.org.url}${tail}` })), isOktaAuthError);
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toBe('The credential.origin option must be an origin such as "https://acme.okta.com".');
    expect(usersAsked()).toBe(0);
  });

  it.for(['not a url', 'HTTP://127.0.0.1', ''])('an origin %j is INVALID_CONFIG naming credential.origin', async (origin) => {
    const error = await failure(send(vault({ origin })), isOktaAuthError);
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toContain('credential.origin');
  });

  it.for([
    [{ timeoutMs: -1 }, 'The credential.timeoutMs option must be a positive number of milliseconds.'],
    [{ timeoutMs: '5' }, 'The credential.timeoutMs option must be a positive number of milliseconds.'],
    [{ timeoutMs: Number.NaN }, 'The credential.timeoutMs option must be a positive number of milliseconds.'],
    [{ retry: { limit: -1 } }, 'The credential.retry.limit option must be a whole number from 0 to 20.'],
    [{ retry: 5 }, 'The credential.retry option must be false or { limit?, maxWaitMs? }.'],
    [{ logger: 'x' }, 'The credential.logger option must be a function that takes one event.'],
  ] as const)("a credential's %j is INVALID_CONFIG naming its field, nothing sent", async ([fields, message]) => {
    const error = await failure(send(vault(fields as Partial<OktaCredential>)), isOktaAuthError);
    expect([error.code, error.message]).toEqual(['INVALID_CONFIG', message]);
    expect(usersAsked()).toBe(0);
  });

  it('the origin as URL.origin writes it and an authorization are sent', async () => {
    expect((await send(vault({}))).status).toBe(200);
    expect(usersAsked()).toBe(1);
  });
});
