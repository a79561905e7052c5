/**
 * A partner calling many orgs at once (`createMultiOrgCredentials`, `Promise.allSettled` over its
 * tenants): each token endpoint error says which org refused. `OktaOAuthError.origin` is the
 * request's scheme and host (the token endpoint's, as sent: never what the answer said), printed by
 * `JSON.stringify` and `util.inspect` like the other fields, and the message names the org's host
 * beside the request id (`requestNote`, the one ending of every OAuth endpoint's message).
 */
import { inspect } from 'node:util';
import { createOktaFetch } from '@org/okta-auth-core';
import type { OktaEmulator } from '@org/okta-emulator';
import { describe, expect, it } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import { createMultiOrgCredentials } from '../multi-org.js';
import { createOinAppCredential } from '../oin-app.js';
import { emulator, useEmulators } from '../test-helpers/org.js';

useEmulators();

interface Tenant {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** Two orgs, each with an OIN app, and one multi-org factory calling them without retries. */
async function partner() {
  const orgs = await Promise.all([emulator(), emulator()]);
  const apps = orgs.map((org) => org.createOinApp({ scopes: ['okta.users.read'] }));
  const credentials = createMultiOrgCredentials({
    create: (orgUrl, tenant: Tenant) => createOinAppCredential({ orgUrl, ...tenant, scopes: ['okta.users.read'], allowInsecureLoopback: true, retry: false }),
  });
  const call = (org: OktaEmulator, tenant: Tenant) => createOktaFetch({ credential: credentials.get(org.url, tenant), retry: false })('/api/v1/users?limit=2');
  return { orgs, apps, call };
}

/** Each outcome is an `OktaOAuthError` of `code` naming its own org, in its fields, message, JSON and inspect, and never the other org. */
function expectEachNamesItsOrg(settled: PromiseSettledResult<unknown>[], orgs: OktaEmulator[], code: string): void {
  settled.forEach((outcome, index) => {
    const error = outcome.status === 'rejected' ? (outcome.reason as unknown) : undefined;
    if (!isOktaOAuthError(error)) throw new Error(`expected an OktaOAuthError, got ${String(error)}`);
    const { origin, host } = new URL(orgs[index]!.url);
    const other = new URL(orgs[1 - index]!.url).host;
    expect(error.code, error.message).toBe(code);
    expect(error.origin).toBe(origin);
    expect(error.message).toMatch(new RegExp(`\\(${host.replaceAll('.', '\\.')}, request [\\w-]+\\)`));
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ origin });
    expect(inspect(error)).toContain(`origin: '${origin}'`);
    for (const text of [error.message, JSON.stringify(error), inspect(error)]) expect(text).not.toContain(other);
  });
}

describe('token endpoint errors of many orgs at once', () => {
  it('each invalid_client names the org that refused (origin, message, JSON, inspect)', async () => {
    const { orgs, apps, call } = await partner();
    const settled = await Promise.allSettled(orgs.map((org, index) => call(org, { clientId: apps[index]!.clientId, clientSecret: `${apps[index]!.clientSecret}x` })));
    expectEachNamesItsOrg(settled, orgs, 'TOKEN_REQUEST_FAILED');
  });

  it('each RATE_LIMITED names the org still rate limiting', async () => {
    const { orgs, apps, call } = await partner();
    for (const org of orgs) org.injectFault({ path: '/oauth2/v1/token', kind: 'status', status: 429, count: 1 });
    const settled = await Promise.allSettled(orgs.map((org, index) => call(org, apps[index]!)));
    expectEachNamesItsOrg(settled, orgs, 'RATE_LIMITED');
  });
});
