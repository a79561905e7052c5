/**
 * What a slot's `TIMEOUT` tells the caller to raise, in every driver: only the setting that bounds
 * the wait in that configuration (`rate-limit-verdict.ts`, `waitBound`). With `retry: false` the wait has no
 * budget of its own, so it is half of `timeoutMs` and `retry.maxWaitMs` is not named; with a
 * `retry.maxWaitMs` under half of `timeoutMs` it alone is; by default (65 s against half of 30 s)
 * `timeoutMs` is. Another client holds the one slot at the emulator's `hold` fault until the test
 * lets it go, so the wait ends at its bound whatever the machine's load; no time is asserted.
 */
import { failure, until } from '@org/okta-test-utils';
import ky from 'ky';
import { describe, expect, it } from 'vitest';
import type { RetryOptions } from '../config/transport.js';
import type { OktaCredential } from '../credential.js';
import { isOktaAuthError } from '../errors/errors.js';
import { createOktaKy } from '../ky/create-okta-ky.js';
import { oktaKyHooks } from '../ky/hooks.js';
import { executeOktaRequest } from '../request/execute.js';
import { createOktaFetch } from '../request/okta-fetch.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { expectSlotWait } from '../test-helpers/slot-timeout.js';
import { createInFlightLimit, type InFlightLimit } from './in-flight-limit.js';

const org = useApiTokenOrg();

interface Client {
  readonly credential: OktaCredential;
  readonly maxInFlight: InFlightLimit;
  readonly retry?: RetryOptions | false;
  readonly timeoutMs?: number;
}

const path = 'api/v1/users?limit=1';
const drivers: Record<string, (client: Client) => Promise<Response>> = {
  createOktaFetch: (client) => createOktaFetch(client)(`/${path}`),
  executeOktaRequest: (client) => executeOktaRequest(() => Promise.resolve(new Request(`${org.org.url}/${path}`)), { ...client, origin: org.org.url }),
  createOktaKy: (client) => createOktaKy(client)(path),
  'oktaKyHooks on your own instance': (client) => ky.create({ baseUrl: `${org.org.url}/`, hooks: oktaKyHooks(client) })(path),
};

const byTimeout = 'timeoutMs';
const configurations: [string, Pick<Client, 'retry' | 'timeoutMs'>, number, string][] = [
  ['retry: false', { retry: false, timeoutMs: 400 }, 200, byTimeout],
  ['retry with a maxWaitMs under half of timeoutMs', { retry: { maxWaitMs: 100 } }, 100, 'retry.maxWaitMs'],
  ['the default retry', { timeoutMs: 400 }, 200, byTimeout],
];

describe.each(Object.entries(drivers))("a slot's TIMEOUT through %s", (_, send) => {
  it.each(configurations)('under %s names only what bounds the wait', async (_name, options, waited, boundBy) => {
    const id = org.org.injectFault({ path: '/api/v1/users', kind: 'hold' });
    const limit = createInFlightLimit(1);
    const credential = org.ssws(org.org.url);
    const other = createOktaFetch({ credential, maxInFlight: limit })(`/${path}`);
    await until(() => org.org.heldAnswers(id) === 1, "the other client's call in flight");
    const error = await failure(send({ credential, maxInFlight: limit, ...options }), isOktaAuthError);
    expectSlotWait(error, boundBy, waited);
    org.org.clearFaults();
    expect((await other).status).toBe(200);
  });
});
