/**
 * A host whose clock is more than a day off Okta's (rev166b): the credential's server clock follows Okta's `Date` only
 * within a day (a broken or hostile `Date` is no clock to sign by), so its client assertion carries the host's time and
 * Okta refuses it, `invalid_client`. The hint named the key's registration; it now names the host clock and the gap,
 * read from the refusal's own `Date`. Within a day the assertion is re-signed on Okta's time and succeeds.
 */
import { failure } from '@org/okta-test-utils';
import { expect, it } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import { emulator, serviceApp, useEmulators } from '../test-helpers/org.js';

useEmulators();

it.each([
  ['ahead of', -90_000, '25 h ahead of'],
  ['behind', 90_000, '25 h behind'],
])("invalid_client on a host clock 25 h %s Okta's: the hint names the host clock and the gap, not the key's registration", async (_, orgOffsetSeconds, gap) => {
  const org = await emulator({ seed: { users: 1 } });
  org.setClockOffset(orgOffsetSeconds);
  const { okta } = serviceApp(org);
  const error = await failure(okta('/api/v1/users?limit=1'), isOktaOAuthError);
  expect([error.code, error.error]).toEqual(['TOKEN_REQUEST_FAILED', 'invalid_client']);
  expect(error.message).toContain(` This host's clock is ${gap} Okta's (its Date): client assertions carry its time. Set it right (NTP).`);
  expect(error.message).not.toContain('is registered and active');
});

it("a host clock 10 min off: the assertion is re-signed on Okta's time, no refusal reaches the caller", async () => {
  const org = await emulator({ seed: { users: 1 } });
  org.setClockOffset(600);
  const { okta } = serviceApp(org);
  expect((await okta('/api/v1/users?limit=1')).status).toBe(200);
});
