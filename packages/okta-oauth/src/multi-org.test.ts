/**
 * createMultiOrgCredentials's copy and comparison of tenant data (a partner rotating a customer's
 * secret in the record it passed before) and delete(), with a credential of the test's own: each
 * case was a change of `multi-org.ts` that no test noticed (docs/security-history.md, "Twentyfourth
 * session: mutation testing, twelfth round").
 */
import { isOktaAuthError, parseOrgUrl, Secret, type OktaCredential } from '@org/okta-auth-core';
import { failure } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { createMultiOrgCredentials } from './multi-org.js';

const org = 'https://a.okta.com';
const attempt = { method: 'GET', url: new URL(`${org}/api/v1/users`) };

/** Orgs whose create() makes a credential that authorizes with `Bearer <n>`, n counting the credentials made; `given` holds the org URLs create() got. */
function partner<Tenant>(options: { maxOrgs?: number; now?: () => number } = {}) {
  let made = 0;
  const given: unknown[] = [];
  const orgs = createMultiOrgCredentials<Tenant>({
    ...options,
    create: (orgUrl): OktaCredential => {
      given.push(orgUrl);
      const n = ++made;
      return { kind: 'fake', origin: new URL(orgUrl).origin, authorize: () => Promise.resolve({ authorization: `Bearer ${n}` }) };
    },
  });
  return { orgs, given, made: () => made };
}

describe('the documented defaults (docs/SECURITY.md, Bounds)', () => {
  it('drops a credential unused for 30 minutes (idleMs), not before', () => {
    const clock = { now: 1_800_000_000_000 };
    const { orgs, made } = partner<object>({ now: () => clock.now });
    const first = orgs.get(org, {});
    clock.now += 30 * 60_000 - 1;
    expect(orgs.get(org, {})).toBe(first);
    clock.now += 30 * 60_000;
    expect(orgs.get(org, {})).not.toBe(first);
    expect(made()).toBe(2);
  });

  it('holds 10,000 orgs (maxOrgs), the least recently used dropped first', () => {
    const { orgs, made } = partner<object>();
    const url = (n: number) => `https://o${n}.okta.com`;
    const first = orgs.get(url(1), {});
    for (let n = 2; n <= 10_000; n++) orgs.get(url(n), {});
    expect(orgs.get(url(1), {})).toBe(first); // all 10,000 held; org 1 now the most recent
    orgs.get(url(10_001), {}); // org 2, the least recently used, goes
    expect(orgs.get(url(1), {})).toBe(first);
    expect(made()).toBe(10_001);
    orgs.get(url(2), {});
    expect(made()).toBe(10_002);
  });
});

describe('a tenant changed in place', () => {
  it('with a null prototype (Object.create(null), a parsed record): a field rotated in it makes a new credential', () => {
    const { orgs, made } = partner<Record<string, unknown>>();
    const tenant = Object.assign(Object.create(null) as Record<string, unknown>, { clientId: '0oa1', secret: 'old' });
    const first = orgs.get(org, tenant);
    expect(orgs.get(org, Object.assign(Object.create(null) as Record<string, unknown>, { clientId: '0oa1', secret: 'old' }))).toBe(first);
    tenant.secret = 'rotated';
    expect(orgs.get(org, tenant)).not.toBe(first);
    expect(made()).toBe(2);
  });

  it('a Date or a URL in it changed in place makes a new credential', () => {
    const { orgs, made } = partner<{ rotatedAt: Date; issuer: URL }>();
    const tenant = { rotatedAt: new Date(1e12), issuer: new URL(org) };
    const first = orgs.get(org, tenant);
    tenant.rotatedAt.setTime(1e12 + 1);
    const second = orgs.get(org, tenant);
    expect(second).not.toBe(first);
    tenant.issuer.pathname = '/oauth2/default';
    expect(orgs.get(org, tenant)).not.toBe(second);
    expect(made()).toBe(3);
  });

  it('a field added to it makes a new credential; one removed does too', () => {
    const { orgs, made } = partner<{ clientId: string; scope?: string }>();
    const tenant: { clientId: string; scope?: string } = { clientId: '0oa1' };
    const first = orgs.get(org, tenant);
    tenant.scope = 'okta.users.read';
    const second = orgs.get(org, tenant);
    expect(second).not.toBe(first);
    delete tenant.scope;
    expect(orgs.get(org, tenant)).not.toBe(second);
    expect(made()).toBe(3);
  });

  it('one object held twice (no cycle) is tenant data like any other, copied and compared', () => {
    const { orgs, made } = partner<{ read: { scopes: string[] }; write: { scopes: string[] } }>();
    const shared = { scopes: ['okta.users.read'] };
    const first = orgs.get(org, { read: shared, write: shared });
    expect(orgs.get(org, { read: shared, write: shared })).toBe(first);
    shared.scopes.push('okta.users.manage');
    expect(orgs.get(org, { read: shared, write: shared })).not.toBe(first);
    expect(made()).toBe(2);
  });
});

describe('tenant data', () => {
  it('with null and undefined fields is copied and compared (no TypeError): the same data keeps its credential', () => {
    const { orgs, made } = partner<{ scope: string | null; label?: string | undefined }>();
    const first = orgs.get(org, { scope: null, label: undefined });
    expect(orgs.get(org, { scope: null, label: undefined })).toBe(first);
    expect(orgs.get(org, { scope: 'okta.users.read', label: undefined })).not.toBe(first);
    expect(made()).toBe(2);
  });

  it('a plain object replaced by a class instance with the same fields makes a new credential (an instance may hold more)', () => {
    class Record {
      constructor(readonly id: string) {}
    }
    const { orgs, made } = partner<{ record: object }>();
    const first = orgs.get(org, { record: { id: '1' } });
    expect(orgs.get(org, { record: new Record('1') })).not.toBe(first);
    expect(made()).toBe(2);
  });

  it('create() gets the org URL as text, as given (a URL object as its href)', () => {
    const { orgs, given } = partner<object>();
    orgs.get(new URL(org), {});
    orgs.get('https://b.okta.com/', {});
    expect(given).toEqual([`${org}/`, 'https://b.okta.com/']);
  });
});

describe('delete()', () => {
  it('takes the org URL as a URL or another spelling; an org not held is false and nothing refuses', async () => {
    const { orgs } = partner<object>();
    const other = orgs.get('https://b.okta.com', {});
    expect(orgs.delete('https://a.okta.com')).toBe(false);
    const credential = orgs.get(org, {});
    expect(orgs.delete(new URL('HTTPS://A.okta.com:443/'))).toBe(true);
    expect(orgs.size).toBe(1);
    const refused = await failure(() => credential.authorize(attempt), isOktaAuthError);
    expect(refused.code).toBe('INVALID_CONFIG');
    expect(refused.message).toBe('https://a.okta.com was removed with delete(): its credentials send nothing more. Call get(orgUrl, tenant) for a new one if the org is back.');
    expect(await other.authorize({ ...attempt, url: new URL('https://b.okta.com/api/v1/users') })).toEqual({ authorization: 'Bearer 1' });
    // The org back: a new installation, whose credential authorizes while the deleted one still refuses.
    const again = orgs.get(org, {});
    expect(await again.authorize(attempt)).toEqual({ authorization: 'Bearer 3' });
    expect((await failure(() => credential.authorize(attempt), isOktaAuthError)).code).toBe('INVALID_CONFIG');
  });

  it('reaches the credentials of the last maxOrgs orgs dropped (a flag each), not of one dropped before them', async () => {
    const { orgs } = partner<object>({ maxOrgs: 2 });
    const url = (name: string) => `https://${name}.okta.com`;
    const credentials = Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((name) => [name, orgs.get(url(name), {})]));
    // Held: d and e. Dropped, in order: a, b, c; only the last 2 (b, c) are remembered.
    expect(orgs.size).toBe(2);
    expect(orgs.delete(url('a'))).toBe(false);
    expect(await credentials.a!.authorize({ ...attempt, url: new URL(`${url('a')}/api/v1/users`) })).toEqual({ authorization: 'Bearer 1' });
    expect(orgs.delete(url('b'))).toBe(true);
    expect(orgs.delete(url('b'))).toBe(false);
    expect(orgs.size).toBe(2);
    expect((await failure(() => credentials.b!.authorize(attempt), isOktaAuthError)).message).toMatch(/^https:\/\/b\.okta\.com was removed with delete\(\)/);
  });
});

// Mutation round 14 (docs/security-history.md, "Twentysixth session"): each case below was a change of
// multi-org.ts that no test noticed.
describe('tenant data of another kind than before', () => {
  it('a field that was a Secret, a Date or an array and is now text, or null and now an array, makes a new credential (no TypeError)', () => {
    const { orgs, made } = partner<Record<string, unknown>>();
    for (const [before, after] of [
      [new Secret('s3cret'), 's3cret'],
      [new Date(1e12), '2001-09-09T01:46:40.000Z'],
      [['okta.users.read'], 'okta.users.read'],
      [null, ['okta.users.read']],
      [new URL('https://a.okta.com/oauth2/default'), { href: 'https://a.okta.com/oauth2/default' }],
    ]) {
      const first = orgs.get(org, { field: before });
      expect(orgs.get(org, { field: after })).not.toBe(first);
    }
    expect(made()).toBe(10);
  });

  it('an array whose later item changed makes a new credential', () => {
    const { orgs, made } = partner<{ scopes: string[] }>();
    const first = orgs.get(org, { scopes: ['okta.users.read', 'okta.groups.read'] });
    expect(orgs.get(org, { scopes: ['okta.users.read', 'okta.apps.read'] })).not.toBe(first);
    expect(made()).toBe(2);
  });
});

describe('options and org URLs refused', () => {
  it.each<[string, object | null | undefined, RegExp]>([
    ['no options', undefined, /^createMultiOrgCredentials needs \{ create\(orgUrl, tenant\) \}/],
    ['null', null, /^createMultiOrgCredentials needs \{ create\(orgUrl, tenant\) \}/],
    ['an idleMs as text', { idleMs: '60000' }, /^The idleMs option must be a number of milliseconds from 1 to 31536000000 \(1 ms to 365 days\)\.$/],
    ['an idleMs of Infinity (every bound is finite: a year is the most)', { idleMs: Infinity }, /^The idleMs option must be a number of milliseconds from 1 /],
    // count166: 1,000,001 and 1e12 were taken (no upper bound), and the words were "maxOrgs must be a positive integer."
    ...[0, 1.5, '10', 1_000_001, 1e12, Infinity].map((maxOrgs): [string, object, RegExp] => [`a maxOrgs of ${maxOrgs}`, { maxOrgs }, /^The maxOrgs option must be a whole number from 1 to 1000000 \(orgs kept in memory\)\.$/]),
  ])('%s: INVALID_CONFIG saying what to pass, never a TypeError', async (_, options, message) => {
    const given = options === undefined || options === null ? options : { create: () => undefined, ...options };
    const error = await failure(() => createMultiOrgCredentials(given as never), isOktaAuthError);
    expect([error.code, error.message]).toEqual(['INVALID_CONFIG', expect.stringMatching(message)]);
  });

  it('an org URL with Unicode spaces around it (a copied cell) is the org; one that is no URL is INVALID_ORG_URL saying what it should look like', async () => {
    const { orgs } = partner<object>();
    const credential = orgs.get(org, {});
    expect(orgs.get('\u00a0https://a.okta.com\u00a0', {})).toBe(credential);
    const error = await failure(() => orgs.get('acme okta', {}), isOktaAuthError);
    expect([error.code, error.message]).toEqual(['INVALID_ORG_URL', 'The Okta org URL is not a valid URL: it should look like "https://acme.okta.com".']);
  });

  // A new user's review of the OIN path (fifty-first session): get() and delete() had a check of their own, whose
  // one message ("is not a valid URL") told a bare domain or a quoted URL nothing of what createOinAppCredential says.
  it.each([
    ['a bare domain', 'acme.okta.com', 'The Okta org URL needs a scheme: use "https://acme.okta.com".'],
    ['a URL in quotes', '"https://acme.okta.com"', 'The Okta org URL is wrapped in quotes (or has one at an end): remove them.'],
    ['an issuer', 'https://acme.okta.com/oauth2/default', /^The Okta org URL must be an origin with no path, query or fragment: use "https:\/\/acme\.okta\.com" \(the org authorization server/],
  ])('%s: get() and delete() refuse it in the words of parseOrgUrl (every factory\'s), creating nothing', async (_, url, message) => {
    const { orgs, made } = partner<object>();
    const expected = await failure(() => parseOrgUrl(url), isOktaAuthError);
    expect(expected.message).toMatch(message);
    for (const call of [() => orgs.get(url, {}), () => orgs.delete(url)]) {
      const error = await failure(call, isOktaAuthError);
      expect([error.code, error.message]).toEqual(['INVALID_ORG_URL', expected.message]);
    }
    expect(made()).toBe(0);
  });
});
