import { isOktaAuthError, Secret, type OktaCredential } from '@org/okta-auth-core';
import { failure } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { createMultiOrgCredentials } from './multi-org.js';
import { createOinAppCredential } from './oin-app.js';
import { serviceAppCredentialFromEnv } from './service-app-env.js';
import { createServiceAppCredential, type ServiceAppCredentialOptions } from './service-app.js';
import { testKey } from './test-helpers/keys.js';

const base: ServiceAppCredentialOptions = {
  orgUrl: 'https://acme.okta.com',
  clientId: '0oa1bcd2efGHIJ3kl4m5',
  privateKey: testKey('p256').pem,
  scopes: ['okta.users.read'],
};


describe('createServiceAppCredential', () => {
  it('returns a credential that exposes kind and origin only', () => {
    const credential = createServiceAppCredential({ ...base, orgUrl: 'https://acme.okta.com/' });
    expect(credential.kind).toBe('service-app');
    expect(credential.origin).toBe('https://acme.okta.com');
    expect(JSON.parse(JSON.stringify(credential))).toEqual({ kind: 'service-app', origin: 'https://acme.okta.com' });
    expect(Object.isFrozen(credential)).toBe(true);
  });

  it.each([
    ['no options', undefined, 'INVALID_CONFIG', /options object/],
    ['a bad org URL', { orgUrl: 'acme.okta.com' }, 'INVALID_ORG_URL', /needs a scheme/],
    ['an http org URL', { orgUrl: 'http://127.0.0.1:9' }, 'INVALID_ORG_URL', /allowInsecureLoopback/],
    ['no client id', { clientId: '' }, 'INVALID_CONFIG', /clientId is missing/],
    ['a client id with spaces', { clientId: 'a b' }, 'INVALID_CONFIG', /no spaces/],
    ['no scopes', { scopes: undefined }, 'INVALID_CONFIG', /scopes is missing/],
    ['empty scopes', { scopes: [] }, 'INVALID_CONFIG', /scopes is empty/],
    ['a bad scope', { scopes: ['okta.users.read', 'a"b'] }, 'INVALID_CONFIG', /invalid entry/],
    ['dpop: true', { dpop: true }, 'INVALID_CONFIG', /use "required"/],
    ['an unknown dpop', { dpop: 'always' }, 'INVALID_CONFIG', /"required", "auto" or "off"/],
    ['a bad dpopAlgorithm', { dpopAlgorithm: 'HS256' }, 'INVALID_CONFIG', /dpopAlgorithm/],
    ['a bad dpopKeyPair', { dpopKeyPair: {} }, 'INVALID_CONFIG', /CryptoKeyPair/],
    ['a bad tokenStore', { tokenStore: { get: () => undefined } }, 'INVALID_CONFIG', /tokenStore/],
    ['no private key', { privateKey: undefined }, 'INVALID_CONFIG', /privateKey is missing/],
    ['a public key', { privateKey: testKey('p256').publicPem }, 'INVALID_KEY', /private key/],
    ['a small RSA key', { privateKey: testKey('rsa1024').pem }, 'INVALID_KEY', /1024 bits/],
    ['a P-256 JWK labelled P-384', { privateKey: { ...testKey('p256').jwk, crv: 'P-384' } }, 'INVALID_KEY', /JWK's "crv" is P-384 but its key is a P-256 key \(coordinates of 32 bytes, not 48\): set "crv" to "P-256"/],
    ['an empty keyId', { keyId: ' ' }, 'INVALID_CONFIG', /keyId/],
    ['a bad timeout', { timeoutMs: -1 }, 'INVALID_CONFIG', /timeoutMs/],
    ['a bad fetch', { fetch: 'no' }, 'INVALID_CONFIG', /fetch/],
  ])('refuses %s up front', async (_name, patch, code, message) => {
    const error = (await failure(() => createServiceAppCredential(patch === undefined ? (undefined as never) : ({ ...base, ...patch } as never)), isOktaAuthError));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('PRIVATE KEY-----\n');
  });

  it('accepts scopes as a string and de-duplicates them', () => {
    expect(createServiceAppCredential({ ...base, scopes: 'okta.users.read okta.users.read, okta.groups.read' }).kind).toBe('service-app');
  });

  it('refuses to authorize a request to another origin', async () => {
    const credential = createServiceAppCredential(base);
    await expect(credential.authorize({ method: 'GET', url: new URL('https://evil.example.com/api/v1/users') })).rejects.toMatchObject({ code: 'ORIGIN_MISMATCH' });
  });
});

describe('serviceAppCredentialFromEnv', () => {
  const env = {
    OKTA_CLIENT_ORGURL: 'https://acme.okta.com',
    OKTA_CLIENT_AUTHORIZATIONMODE: 'PrivateKey',
    OKTA_CLIENT_CLIENTID: '0oa1',
    OKTA_CLIENT_SCOPES: 'okta.users.read okta.groups.read',
    OKTA_CLIENT_PRIVATEKEY: testKey('rsa2048').pem,
    OKTA_CLIENT_KEYID: 'kid-1',
  };

  it('reads the okta-sdk-nodejs names', () => {
    expect(serviceAppCredentialFromEnv(env).origin).toBe('https://acme.okta.com');
    expect(serviceAppCredentialFromEnv({ ...env, OKTA_CLIENT_AUTHORIZATIONMODE: undefined, OKTA_CLIENT_KEYID: undefined, OKTA_CLIENT_PRIVATEKEYID: 'k' }).kind).toBe('service-app');
  });

  // A prototype pollution (`Object.prototype.OKTA_CLIENT_ORGURL = …`) reached every env, process.env included: only own variables are read.
  it('reads only own variables: one inherited (from a polluted Object.prototype, or an env built on another) is not set', async () => {
    const notSet = async (given: object) => (await failure(() => serviceAppCredentialFromEnv(given as typeof env), isOktaAuthError)).message;
    expect(await notSet(Object.create(env) as object)).toMatch(/^OKTA_CLIENT_ORGURL is not set/);
    const prototype = Object.prototype as Record<string, unknown>;
    prototype.OKTA_CLIENT_CLIENTID = '0oaEvil';
    try {
      expect(await notSet({ ...env, OKTA_CLIENT_CLIENTID: undefined })).toMatch(/^OKTA_CLIENT_CLIENTID is not set/);
      const withoutId: Partial<typeof env> = { ...env };
      delete withoutId.OKTA_CLIENT_CLIENTID;
      expect(await notSet(withoutId)).toMatch(/^OKTA_CLIENT_CLIENTID is not set/);
      expect(serviceAppCredentialFromEnv(env).origin).toBe('https://acme.okta.com');
    } finally {
      delete prototype.OKTA_CLIENT_CLIENTID;
    }
  });

  it.each([
    ['OKTA_CLIENT_ORGURL', /OKTA_CLIENT_ORGURL is not set/],
    ['OKTA_CLIENT_CLIENTID', /OKTA_CLIENT_CLIENTID is not set/],
    ['OKTA_CLIENT_SCOPES', /OKTA_CLIENT_SCOPES is not set/],
    ['OKTA_CLIENT_PRIVATEKEY', /OKTA_CLIENT_PRIVATEKEY is not set/],
  ])('names a missing %s', async (name, message) => {
    expect((await failure(() => serviceAppCredentialFromEnv({ ...env, [name]: ' ' }), isOktaAuthError)).message).toMatch(message);
  });

  it('points SSWS users to @org/okta-ssws and refuses other modes', async () => {
    expect((await failure(() => serviceAppCredentialFromEnv({ ...env, OKTA_CLIENT_AUTHORIZATIONMODE: 'SSWS' }), isOktaAuthError)).message).toMatch(/@org\/okta-ssws/);
    expect((await failure(() => serviceAppCredentialFromEnv({ ...env, OKTA_CLIENT_AUTHORIZATIONMODE: 'JWT' }), isOktaAuthError)).message).toMatch(/only "PrivateKey"/);
  });

  // A Worker's env holds bindings that are no text (a number or object from `vars`, a Secrets Store secret): `.trim()` on one was a raw TypeError.
  it('refuses a variable holding no text as INVALID_CONFIG naming it, never a TypeError', async () => {
    for (const [name, value, got] of [['OKTA_CLIENT_ORGURL', 42, 'number'], ['OKTA_CLIENT_CLIENTID', { get: () => '0oa1' }, 'object'], ['OKTA_CLIENT_AUTHORIZATIONMODE', true, 'boolean']] as const) {
      const error = await failure(() => serviceAppCredentialFromEnv({ ...env, [name]: value }), isOktaAuthError);
      expect([error.code, error.message], name).toEqual(['INVALID_CONFIG', expect.stringMatching(new RegExp(`^${name} holds ${got}, not text: set it to a string`))]);
    }
  });

  // The mode was quoted up to 30 characters: a client secret set there by mistake was in the message.
  it('quotes the mode only when it is a word, and says to remove quotes around it', async () => {
    const modeError = async (mode: string) => (await failure(() => serviceAppCredentialFromEnv({ ...env, OKTA_CLIENT_AUTHORIZATIONMODE: mode }), isOktaAuthError)).message;
    const secret = 'Xq7vKp2LmN0wqRt5-secret-client-secret';
    expect(await modeError(secret)).toBe('OKTA_CLIENT_AUTHORIZATIONMODE is set, not PrivateKey: only "PrivateKey" is supported here.');
    expect(await modeError('JWT')).toBe('OKTA_CLIENT_AUTHORIZATIONMODE is "JWT", not PrivateKey: only "PrivateKey" is supported here.');
    for (const quoted of ['"PrivateKey"', '"PrivateKey', "PrivateKey'"]) {
      expect(await modeError(quoted), quoted).toBe('OKTA_CLIENT_AUTHORIZATIONMODE is wrapped in quotes (or has one at an end): remove them.');
    }
  });

  // `docker run --env-file` keeps the quotes of OKTA_CLIENT_CLIENTID="0oa…": the quoted id went to Okta, which answered invalid_client.
  it('refuses a client id, scopes or key id wrapped in quotes, saying to remove them', async () => {
    const quotedError = async (name: string, value: string) => failure(() => serviceAppCredentialFromEnv({ ...env, [name]: value }), isOktaAuthError);
    for (const [name, value] of [
      ['OKTA_CLIENT_CLIENTID', '"0oa1bcd2efGHIJ3kl4m5"'],
      ['OKTA_CLIENT_CLIENTID', "'0oa1bcd2efGHIJ3kl4m5'"],
      ['OKTA_CLIENT_SCOPES', "'okta.users.read okta.groups.read'"],
      ['OKTA_CLIENT_SCOPES', '`okta.users.read`'],
      ['OKTA_CLIENT_KEYID', '"key-2026-01"'],
      // A long custom scope (a run that reads like a token) in single quotes: taken with its quotes, for Okta's invalid_scope.
      ['OKTA_CLIENT_SCOPES', "'com.example.reports_read_all_regions_and_years'"],
    ] as const) {
      const error = await quotedError(name, value);
      expect([error.code, error.message], `${name}=${value}`).toEqual(['INVALID_CONFIG', expect.stringMatching(new RegExp(`^${name}: (?:clientId|keyId|scopes has an entry that) is wrapped in quotes \\(or has one at an end\\): remove them\\.$`))]);
    }
  });

  it('refuses a JWK whose crv does not match its key, saying which to set, never a key member', async () => {
    const { jwk } = testKey('p256');
    const error = await failure(() => serviceAppCredentialFromEnv({ ...env, OKTA_CLIENT_PRIVATEKEY: JSON.stringify({ ...jwk, crv: 'P-384' }) }), isOktaAuthError);
    expect(error.code).toBe('INVALID_KEY');
    expect(error.message).toMatch(/set "crv" to "P-256"/);
    for (const part of [jwk.x, jwk.y, jwk.d]) expect(error.message).not.toContain(String(part));
  });

  it('never echoes the key', async () => {
    const error = (await failure(() => serviceAppCredentialFromEnv({ ...env, OKTA_CLIENT_PRIVATEKEY: testKey('rsa1024').pem }), isOktaAuthError));
    expect(error.code).toBe('INVALID_KEY');
    expect(error.message).not.toContain(testKey('rsa1024').pem.slice(40, 80));
  });
});

describe('createOinAppCredential', () => {
  const oin = { orgUrl: 'https://customer.okta.com', clientId: '0oa9', clientSecret: 'a-very-secret-client-secret', scopes: ['okta.users.read'] };

  it('keeps the secret out of sight', () => {
    const credential = createOinAppCredential({ ...oin, clientSecret: new Secret(oin.clientSecret) });
    expect(JSON.stringify(credential)).not.toContain('secret-client');
    expect(credential.kind).toBe('oin-app');
  });

  it.each([
    ['no secret', { clientSecret: '' }, /clientSecret is missing/],
    ['a secret with a line break', { clientSecret: 'abc\ndef' }, /line breaks/],
    ['no scopes', { scopes: [] }, /scopes is empty/],
  ])('refuses %s', async (_name, patch, message) => {
    const error = (await failure(() => createOinAppCredential({ ...oin, ...patch }), isOktaAuthError));
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('abc');
  });
});

describe('createMultiOrgCredentials', () => {
  const fake = (orgUrl: string, tenant: { id: string }): OktaCredential => ({
    kind: `fake-${tenant.id}`,
    origin: new URL(orgUrl).origin,
    authorize: () => Promise.resolve({ authorization: 'Bearer x' }),
  });

  // `new URL('blob:https://acme.okta.com').origin` is acme's: such an org URL got acme's held credential, never seen by create().
  it("an org URL that only wraps a held org's origin (blob:) is not that org: create() gets it, and refuses it", () => {
    const orgs = createMultiOrgCredentials({ create: (orgUrl, tenant: { id: string }) => createServiceAppCredential({ ...base, clientId: tenant.id, orgUrl }) });
    expect(orgs.get('https://acme.okta.com', { id: '0oa1' }).origin).toBe('https://acme.okta.com');
    expect(() => orgs.get('blob:https://acme.okta.com', { id: '0oa1' })).toThrow(expect.objectContaining({ code: 'INVALID_ORG_URL' }));
  });

  it('creates once per org, replaces on changed tenant data, and drops idle orgs without timers', async () => {
    let now = 0;
    let created = 0;
    const orgs = createMultiOrgCredentials({
      create: (url, tenant: { id: string; secret?: Secret; scopes?: string[] }) => {
        created++;
        return fake(url, tenant);
      },
      idleMs: 1000,
      now: () => now,
    });
    const a = orgs.get('https://a.okta.com', { id: '1', secret: new Secret('s'), scopes: ['x'] });
    expect(orgs.get('https://a.okta.com/', { id: '1', secret: new Secret('s'), scopes: ['x'] })).toBe(a);
    expect(created).toBe(1);
    expect(orgs.get('https://a.okta.com', { id: '1', secret: new Secret('rotated'), scopes: ['x'] })).not.toBe(a);
    expect(created).toBe(2);
    const b = orgs.get('https://b.okta.com', { id: '2' });
    now = 900;
    await b.authorize({ method: 'GET', url: new URL('https://b.okta.com/api/v1/users') });
    now = 1500;
    orgs.get('https://c.okta.com', { id: '3' });
    expect(orgs.size).toBe(2); // a was idle for 1500 ms; b was used at 900
    expect(orgs.delete('https://b.okta.com')).toBe(true);
    expect(orgs.size).toBe(1);
  });

  it('compares Dates and URLs in tenant data by value, class instances by identity', () => {
    let created = 0;
    const orgs = createMultiOrgCredentials({
      create: (url, tenant: { id: string; rotatedAt?: Date; issuer?: URL; record?: object }) => (created++, fake(url, tenant)),
    });
    const a = orgs.get('https://a.okta.com', { id: '1', rotatedAt: new Date(1e12), issuer: new URL('https://a.okta.com') });
    // The same data read again (new Date and URL objects): the same credential, no new token.
    expect(orgs.get('https://a.okta.com', { id: '1', rotatedAt: new Date(1e12), issuer: new URL('https://a.okta.com/') })).toBe(a);
    expect(created).toBe(1);
    expect(orgs.get('https://a.okta.com', { id: '1', rotatedAt: new Date(1e12 + 1), issuer: new URL('https://a.okta.com') })).not.toBe(a);
    expect(created).toBe(2);
    class Row {
      #secret: string;
      constructor(secret: string) {
        this.#secret = secret;
      }
      get secret(): string {
        return this.#secret;
      }
    }
    const row = new Row('s');
    const b = orgs.get('https://b.okta.com', { id: '2', record: row });
    expect(orgs.get('https://b.okta.com', { id: '2', record: row })).toBe(b);
    // Another instance may hold other hidden state (a rotated secret): a new credential.
    expect(orgs.get('https://b.okta.com', { id: '2', record: new Row('s') })).not.toBe(b);
  });

  it('hands out credentials that behave like the one create() made', async () => {
    const inner: OktaCredential = {
      kind: 'k',
      origin: 'https://a.okta.com',
      authorize: () => Promise.resolve({ authorization: 'Bearer x' }),
      challenge: () => Promise.resolve(true),
      explain: () => 'because',
    };
    const credential = createMultiOrgCredentials({ create: () => inner }).get('https://a.okta.com', {});
    const attempt = { method: 'GET', url: new URL('https://a.okta.com/') };
    expect(await credential.authorize(attempt)).toEqual({ authorization: 'Bearer x' });
    const answer = { attempt, request: new Request(attempt.url), response: new Response(null, { status: 401 }), errorCode: undefined };
    expect(await credential.challenge?.(answer)).toBe(true);
    expect(credential.explain?.(answer)).toBe('because');
    expect(JSON.parse(JSON.stringify(credential))).toEqual({ kind: 'k', origin: 'https://a.okta.com' });
  });

  it('keeps at most maxOrgs, dropping the least recently used', () => {
    const created: string[] = [];
    const orgs = createMultiOrgCredentials({ create: (url, t: { id: string }) => (created.push(t.id), fake(url, t)), maxOrgs: 2 });
    orgs.get('https://a.okta.com', { id: 'a' });
    orgs.get('https://b.okta.com', { id: 'b' });
    orgs.get('https://a.okta.com', { id: 'a' });
    orgs.get('https://c.okta.com', { id: 'c' });
    expect(orgs.size).toBe(2);
    orgs.get('https://a.okta.com', { id: 'a' });
    orgs.get('https://b.okta.com', { id: 'b' });
    expect(created).toEqual(['a', 'b', 'c', 'b']);
  });

  it('refuses bad options and a credential for the wrong org', async () => {
    expect((await failure(() => createMultiOrgCredentials({} as never), isOktaAuthError)).message).toMatch(/create\(orgUrl, tenant\)/);
    expect((await failure(() => createMultiOrgCredentials({ create: fake, idleMs: 0 }), isOktaAuthError)).message).toMatch(/idleMs/);
    const orgs = createMultiOrgCredentials({ create: (_url, t: { id: string }) => fake('https://other.okta.com', t) });
    expect((await failure(() => orgs.get('https://a.okta.com', { id: 'a' }), isOktaAuthError)).message).toMatch(/not https:\/\/a\.okta\.com/);
    expect((await failure(() => orgs.get('not a url', { id: 'a' }), isOktaAuthError)).code).toBe('INVALID_ORG_URL');
  });
});
