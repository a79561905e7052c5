/**
 * `orgs.revoke(org, tenant)` after the org's client secret was rotated: the token cached under the
 * old secret (its cache key is bound to the secret) is revoked and removed too, authenticated with
 * the tenant's current secret (the old one may be deactivated at Okta), and nothing goes to another org.
 */
import { createOktaFetch } from '@org/okta-auth-core';
import { describe, expect, it } from 'vitest';
import { createMultiOrgCredentials } from './multi-org.js';
import { createOinAppCredential } from './oin-app.js';
import { emulator, useEmulators } from './test-helpers/org.js';
import { recordingFetch } from './test-helpers/wire.js';
import { sharedStore } from './test-helpers/shared-store.js';

useEmulators();

interface Tenant {
  clientId: string;
  clientSecret: string;
}

const basic = (tenant: Tenant): string => `Basic ${btoa(`${tenant.clientId}:${tenant.clientSecret}`)}`;
async function active(url: string, tenant: Tenant, token: string): Promise<unknown> {
  const answer = await fetch(`${url}/oauth2/v1/introspect`, {
    method: 'POST',
    headers: { authorization: basic(tenant), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
  });
  return ((await answer.json()) as { active?: unknown }).active;
}

async function partner() {
  const org = await emulator({ seed: { users: 1 } });
  const other = await emulator({ seed: { users: 1 } });
  const tokenStore = sharedStore();
  const wire = recordingFetch();
  const orgs = createMultiOrgCredentials({
    create: (orgUrl, tenant: Tenant) => createOinAppCredential({ orgUrl, ...tenant, scopes: ['okta.users.read'], tokenStore, allowInsecureLoopback: true, fetch: wire.fetch }),
  });
  const call = async (url: string, tenant: Tenant): Promise<string> => {
    expect((await createOktaFetch({ credential: orgs.get(url, tenant), fetch: wire.fetch })('/api/v1/users')).status).toBe(200);
    return (wire.apiRequests().at(-1)?.headers.get('authorization') ?? '').slice('Bearer '.length);
  };
  return { org, other, tokenStore, wire, orgs, call };
}

describe('orgs.revoke(orgUrl, tenant) after a secret rotation', () => {
  it.each([
    ['the new secret used, then the old one deactivated', true],
    ['the tenant switched to the new secret but not used yet', false],
  ] as const)('%s: the old token is revoked with the new secret and gone from the store; the other org keeps its token', async (_what, used) => {
    const { org, other, tokenStore, wire, orgs, call } = await partner();
    const app = org.createOinApp({ scopes: ['okta.users.read'] });
    const neighbour = other.createOinApp({ scopes: ['okta.users.read'] });
    const neighbourTenant = { clientId: neighbour.clientId, clientSecret: neighbour.clientSecret };
    const neighbourToken = await call(other.url, neighbourTenant);
    const old: Tenant = { clientId: app.clientId, clientSecret: app.clientSecret };
    const oldToken = await call(org.url, old);
    const held = orgs.get(org.url, old);

    const rotated: Tenant = { ...old, clientSecret: org.addAppSecret(app.clientId).clientSecret };
    const tokens = [oldToken];
    if (used) {
      tokens.push(await call(org.url, rotated));
      org.deactivateAppSecret(app.clientId, app.secretId);
    }
    expect(tokenStore.entries.size).toBe(tokens.length + 1);
    const sent = wire.sent.length;

    await orgs.revoke(org.url, rotated);
    const revocations = wire.sent.slice(sent);
    expect(revocations.map((request) => [new URL(request.url).origin, new URL(request.url).pathname, request.headers.get('authorization')])).toEqual(
      tokens.map(() => [org.url, '/oauth2/v1/revoke', basic(rotated)]),
    );
    for (const token of tokens) expect(await active(org.url, rotated, token)).toBe(false);
    expect(tokenStore.entries.size).toBe(1); // the other org's
    expect(JSON.stringify([...tokenStore.entries.values()])).not.toContain(oldToken);
    expect(await active(other.url, neighbourTenant, neighbourToken)).toBe(true);
    // The org is dropped, the credential held for the old tenant too: Okta took the rotated secret, so this is the client's owner.
    expect(orgs.size).toBe(1); // the other org's
    await expect(createOktaFetch({ credential: held, fetch: wire.fetch })('/api/v1/users')).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });
});
