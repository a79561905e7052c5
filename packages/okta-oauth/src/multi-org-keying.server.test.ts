/**
 * How a partner's orgs are told apart: by origin, whatever the spelling of the org URL; and the
 * tokens of two orgs that share a client id and secret (a scripted token endpoint each) never mix
 * in a shared token store.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOktaFetch, type OktaCredential } from '@org/okta-auth-core';
import { afterEach, describe, expect, it } from 'vitest';
import { createMultiOrgCredentials } from './multi-org.js';
import { createOinAppCredential } from './oin-app.js';
import { createMemoryTokenStore } from './token-cache/token-store.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** An org that grants any client a token naming the org, and answers API calls with the token it got. */
async function scriptedOrg(name: string): Promise<{ url: string; tokenRequests: string[] }> {
  const tokenRequests: string[] = [];
  const server = createServer((request, response) => {
    if (request.url === '/oauth2/v1/token') {
      tokenRequests.push(request.headers.authorization ?? '');
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ access_token: `${name}-token-${tokenRequests.length}`, token_type: 'Bearer', expires_in: 3600, scope: 'okta.users.read' }));
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ authorization: request.headers.authorization }));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, tokenRequests };
}

const tenant = { clientId: '0oaSHARED', clientSecret: 'same-secret-in-both-orgs-0123456789' };

describe('org keying', () => {
  it('two orgs with the same client id and secret, one shared store: each gets its own token, one request each', async () => {
    const [a, b] = await Promise.all([scriptedOrg('a'), scriptedOrg('b')]);
    const tokenStore = createMemoryTokenStore();
    const orgs = createMultiOrgCredentials({
      create: (orgUrl, t: typeof tenant) => createOinAppCredential({ orgUrl, ...t, scopes: ['okta.users.read'], tokenStore, allowInsecureLoopback: true, timeoutMs: 10_000 }),
    });
    const seen = async (url: string) => ((await (await createOktaFetch({ credential: orgs.get(url, tenant) })('/api/v1/users')).json()) as { authorization: string }).authorization;
    expect(await seen(a.url)).toBe('Bearer a-token-1');
    expect(await seen(b.url)).toBe('Bearer b-token-1');
    expect(await seen(a.url)).toBe('Bearer a-token-1');
    expect([a.tokenRequests.length, b.tokenRequests.length]).toEqual([1, 1]);
  });

  it('spellings of one org URL (case, default port, root path, spaces) are one org; a root dot and an -admin host are refused', () => {
    let created = 0;
    const orgs = createMultiOrgCredentials({
      create: (orgUrl, t: typeof tenant): OktaCredential => {
        created += 1;
        return createOinAppCredential({ orgUrl, ...t, scopes: ['okta.users.read'] });
      },
    });
    const first = orgs.get('https://acme.okta.com', tenant);
    for (const spelling of ['HTTPS://ACME.OKTA.COM', 'https://acme.okta.com:443', 'https://acme.okta.com/', ' https://Acme.Okta.com ', new URL('https://acme.okta.com:443/')]) {
      expect(orgs.get(spelling, tenant)).toBe(first);
    }
    expect(created).toBe(1);
    expect(() => orgs.get('https://acme.okta.com.', tenant)).toThrow(expect.objectContaining({ code: 'INVALID_ORG_URL' }));
    expect(() => orgs.get('https://acme-admin.okta.com', tenant)).toThrow(expect.objectContaining({ code: 'INVALID_ORG_URL' }));
    expect(orgs.get('https://login.acme.example', tenant)).not.toBe(first); // a custom domain is another origin: its own credential and tokens
    expect(orgs.size).toBe(2);
    expect(orgs.delete('HTTPS://ACME.OKTA.COM:443/')).toBe(true);
  });
});
