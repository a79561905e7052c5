/**
 * An org URL typed into a partner's onboarding form (orgurl156): an address inside the partner's network is refused
 * before anything is sent (no connection to it, no token request carrying the customer-typed secret), by the OIN
 * factory and `createMultiOrgCredentials.get` alike; an org that is gone fails with a `NETWORK_ERROR` whose `origin`
 * names it, so a partner's logger groups failures by org without parsing messages.
 */
import { createServer, type Server } from 'node:net';
import { createOktaFetch, isOktaAuthError } from '@org/okta-auth-core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createMultiOrgCredentials } from './multi-org.js';
import { createOinAppCredential } from './oin-app.js';

const secret = 'oin-org-url-secret-sentinel-0000';

/** A listener of the test's own on 127.0.0.1 (an internal service), counting the connections it gets. */
async function listener(): Promise<{ readonly server: Server; readonly port: number; readonly connections: () => number }> {
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { server, port: (server.address() as { port: number }).port, connections: () => connections };
}

describe('an org URL that is no public name of an org', () => {
  it.each(['https://2130706433:PORT', 'https://0x7f.1:PORT', 'https://localhost:PORT', 'https://0:PORT', 'https://[::ffff:127.0.0.1]:PORT'])(
    '%s is refused by createOinAppCredential and createMultiOrgCredentials.get before any connection',
    async (form) => {
      const { port, connections } = await listener();
      const orgUrl = form.replace('PORT', String(port));
      const create = () => createOinAppCredential({ orgUrl, clientId: '0oaTenant', clientSecret: secret, scopes: ['okta.users.read'], retry: false });
      const orgs = createMultiOrgCredentials({ create: (url, tenant: { clientSecret: string }) => createOinAppCredential({ orgUrl: url, clientId: '0oaTenant', clientSecret: tenant.clientSecret, scopes: ['okta.users.read'], retry: false }) });
      for (const make of [create, () => orgs.get(orgUrl, { clientSecret: secret })]) {
        const error = await Promise.resolve()
          .then(make)
          .then((credential) => createOktaFetch({ credential, retry: false })('/api/v1/users'))
          .then(
            () => undefined,
            (caught: unknown) => caught,
          );
        expect(isOktaAuthError(error) && error.code, orgUrl).toBe('INVALID_ORG_URL');
        expect((error as Error).message).not.toContain(secret);
      }
      expect(connections()).toBe(0);
    },
  );

  it('an org that is gone: NETWORK_ERROR with its origin as a field, through the token request', async () => {
    const { server, port } = await listener();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const orgUrl = `http://127.0.0.1:${port}`;
    const credential = createOinAppCredential({ orgUrl, clientId: '0oaTenant', clientSecret: secret, scopes: ['okta.users.read'], allowInsecureLoopback: true, retry: false });
    const error = await createOktaFetch({ credential, retry: false })('/api/v1/users').then(
      () => undefined,
      (caught: unknown) => caught,
    );
    if (!isOktaAuthError(error)) throw new Error(`expected an OktaAuthError, got ${String(error)}`);
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.origin).toBe(orgUrl);
    expect(JSON.stringify(error)).toContain(`"origin":"${orgUrl}"`);
    expect(JSON.stringify(error) + error.message).not.toContain(secret);
  });
});
