/**
 * A client secret's rotation controls against mistakes and hostile pages: a secret's value given
 * where its id goes (`deactivateAppSecret(clientId, clientSecret)`, an easy slip) is refused without
 * being quoted, through the method and `/__emulator` (the API token controls' rule); a page on
 * another origin can neither add a secret (and read it) nor deactivate one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator } from '../index.js';
import { refusal } from '../test-helpers/refusal.js';
import { basic, postToken } from '../test-helpers/oauth.js';

let org: OktaEmulator;
beforeAll(async () => {
  org = await startEmulator();
});
afterAll(() => org.close());

const grant = (clientId: string, secret: string): Promise<Response> =>
  postToken(org, { grant_type: 'client_credentials', scope: 'okta.users.read' }, { Authorization: basic(clientId, secret) });

describe('client secret controls, misused', () => {
  it("a secret's value given for its id is NOT_FOUND, the value never quoted (method and /__emulator)", async () => {
    const oin = org.createOinApp({ scopes: ['okta.users.read'] });
    const added = org.addAppSecret(oin.clientId);
    const other = org.createOinApp({ scopes: ['okta.users.read'] });
    for (const value of [oin.clientSecret, added.clientSecret, other.clientSecret]) {
      const refused = refusal(() => org.deactivateAppSecret(oin.clientId, value));
      expect(refused).toMatchObject({ code: 'NOT_FOUND', option: 'secretId', message: expect.stringMatching(/value of a client secret, not its id.*secretId/) });
      expect(refused.message).not.toContain(value);
      const res = await fetch(`${org.url}/__emulator/apps/${oin.clientId}/secrets/${encodeURIComponent(value)}/deactivate`, { method: 'POST' });
      const text = await res.text();
      expect([res.status, text.includes(value)]).toEqual([400, false]);
    }
    // A secret's value given for the client id is not quoted either.
    const swapped = refusal(() => org.addAppSecret(oin.clientSecret));
    expect(swapped).toMatchObject({ code: 'NOT_FOUND', option: 'clientId' });
    expect(swapped.message).not.toContain(oin.clientSecret);
    // Nothing was deactivated: both secrets still work. An id-shaped one is still quoted, to be checked.
    expect([(await grant(oin.clientId, oin.clientSecret)).status, (await grant(oin.clientId, added.clientSecret)).status]).toEqual([200, 200]);
    expect(refusal(() => org.deactivateAppSecret(oin.clientId, 'ocsnosuchsecret')).message).toContain('"ocsnosuchsecret"');
    // The id carries nothing of the value.
    expect(oin.clientSecret).not.toContain(oin.secretId.slice(3));
  });

  it('a page on another origin can neither add a secret (and read it) nor deactivate one', async () => {
    const oin = org.createOinApp({ scopes: ['okta.users.read'] });
    for (const origin of ['https://evil.example', 'null']) {
      const add = await fetch(`${org.url}/__emulator/apps/${oin.clientId}/secrets`, { method: 'POST', headers: { Origin: origin } });
      const text = await add.text();
      expect([add.status, add.headers.get('access-control-allow-origin'), JSON.parse(text).code], origin).toEqual([403, null, 'FORBIDDEN_ORIGIN']);
      const off = await fetch(`${org.url}/__emulator/apps/${oin.clientId}/secrets/${oin.secretId}/deactivate`, { method: 'POST', headers: { Origin: origin } });
      expect(off.status, origin).toBe(403);
    }
    // Nothing added: the app takes one more secret (its limit is two); its first still works.
    expect(org.addAppSecret(oin.clientId).clientId).toBe(oin.clientId);
    expect((await grant(oin.clientId, oin.clientSecret)).status).toBe(200);
  });
});
