/**
 * `createOinApp`'s result has a named, exported type, as `createServiceApp`'s (`ServiceAppCredentials`)
 * and `createSignInApp`'s have (a new user's review of the OIN path, fifty-first session: a helper
 * that keeps the tenants it made had to spell `ReturnType<OktaEmulator['createOinApp']>`).
 */
import { afterEach, expect, expectTypeOf, it } from 'vitest';
import { startEmulator, type OinAppCredentials, type OktaEmulator } from './index.js';

let org: OktaEmulator | undefined;
afterEach(async () => {
  await org?.close();
  org = undefined;
});

it('createOinApp returns OinAppCredentials: the client id, the secret and its id, nothing else', async () => {
  org = await startEmulator();
  const app: OinAppCredentials = org.createOinApp({ scopes: ['okta.users.read'] });
  expectTypeOf<ReturnType<OktaEmulator['createOinApp']>>().toEqualTypeOf<OinAppCredentials>();
  expect(Object.keys(app).sort()).toEqual(['clientId', 'clientSecret', 'secretId']);
  expect(app.secretId).toMatch(/^ocs/);
});
