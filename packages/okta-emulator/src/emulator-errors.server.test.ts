import { inspect } from 'node:util';
import { failure } from '@org/okta-test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOktaEmulatorError, startEmulator, type OktaEmulator, type OktaEmulatorError, type OktaEmulatorErrorCode, type SignInAppOptions } from './index.js';
import { form } from './test-helpers/oauth.js';
import { REDIRECT } from './test-helpers/user-tokens.js';

/** The error `run` throws; fails the test when it returns, or throws anything but an OktaEmulatorError (the shared `failure.sync`). */
const thrown = (run: () => unknown): OktaEmulatorError => failure.sync(run, isOktaEmulatorError);

type Call = (org: OktaEmulator) => unknown;
const spa: SignInAppOptions = { type: 'spa', redirectUris: [REDIRECT] };
const web: SignInAppOptions = { type: 'web', redirectUris: [REDIRECT] };

/** Each control method refuses a caller's bad argument, or an unknown or taken entity, with the package's one error. */
describe('the methods of the org throw OktaEmulatorError, naming the argument and what to give', () => {
  let org: OktaEmulator;
  beforeAll(async () => {
    org = await startEmulator({ seed: { users: 1 } });
    org.createUser({ login: 'taken@example.com', password: 'Passw0rd!' });
  });
  afterAll(() => org.close());

  it.each<[string, OktaEmulatorErrorCode, string, RegExp, Call]>([
    ['createApiToken', 'NOT_FOUND', 'user', /no user with login or id "nobody@example\.com".*createUser/, (o) => o.createApiToken({ user: 'nobody@example.com' })],
    ['revokeApiToken', 'NOT_FOUND', 'id', /no API token with id "nope".*createApiToken returned/, (o) => { o.revokeApiToken('nope'); }],
    ['expireApiToken', 'NOT_FOUND', 'id', /no API token with id "nope"/, (o) => { o.expireApiToken('nope'); }],
    ['createUser', 'ALREADY_EXISTS', 'login', /login "taken@example\.com" already exists: give another login/, (o) => o.createUser({ login: 'taken@example.com', password: 'Passw0rd!' })],
    // The HTTP API's rules (E3, E7): one validator for both, so a seeded user is one the API could have created.
    ['createUser', 'INVALID_OPTION', 'login', /login must be at most 100 characters \(Okta's UserProfile\.login maxLength\), not 101/, (o) => o.createUser({ login: `${'l'.repeat(89)}@example.com`, password: 'Passw0rd!' })],
    ['createUser', 'INVALID_OPTION', 'password', /password must be a string of at least 8 characters \(Okta's default password policy\), not 7 characters/, (o) => o.createUser({ login: 'short@example.com', password: 'Pass0rd' })],
    ['createUser', 'INVALID_OPTION', 'password', /not a value that is not a string/, (o) => o.createUser({ login: 'number@example.com', password: 12345678 as never })],
    ['approveDevice', 'NOT_FOUND', 'userCode', /no pending device authorization with user code "ABCD-EFGH"/, (o) => { o.approveDevice('ABCD-EFGH', 'user0001@example.com'); }],
    ['denyDevice', 'NOT_FOUND', 'userCode', /no pending device authorization with user code "ABCD-EFGH"/, (o) => { o.denyDevice('ABCD-EFGH'); }],
    ['seedUsers', 'INVALID_OPTION', 'n', /whole number from 0 to 100000/, (o) => { o.seedUsers(-1); }],
    ['setTokenLifetime', 'INVALID_OPTION', 'seconds', /positive number of seconds, such as 3600, not 0\.$/, (o) => { o.setTokenLifetime(0); }],
    ['setTokenLifetime', 'INVALID_OPTION', 'seconds', /positive number of seconds/, (o) => { o.setTokenLifetime(Number.NaN); }],
    ['setTokenLifetime', 'INVALID_OPTION', 'seconds', /positive number of seconds/, (o) => { o.setTokenLifetime(Number.POSITIVE_INFINITY); }],
    ['setPrincipalRateLimitShare', 'INVALID_OPTION', 'share', /above 0 and at most 1.*or undefined/, (o) => { o.setPrincipalRateLimitShare(0); }],
    ['setPrincipalRateLimitShare', 'INVALID_OPTION', 'share', /above 0 and at most 1/, (o) => { o.setPrincipalRateLimitShare(1.5); }],
    ['setPrincipalRateLimitShare', 'INVALID_OPTION', 'share', /not "0\.5"/, (o) => { o.setPrincipalRateLimitShare('0.5' as never); }],
    ['overrideDiscovery', 'INVALID_OPTION', 'fields', /an object of discovery fields.*not an array/, (o) => { o.overrideDiscovery([] as never); }],
    ['overrideDiscovery', 'INVALID_OPTION', 'fields', /not null/, (o) => { o.overrideDiscovery(null as never); }],
    ['recordLogEvent', 'INVALID_OPTION', 'eventType', /an event type.*such as 'user\.session\.start', not undefined/, (o) => o.recordLogEvent({} as never)],
    ['recordLogEvent', 'INVALID_OPTION', 'published', /ISO 8601 date-time.*not "yesterday"/, (o) => o.recordLogEvent({ eventType: 'x', published: 'yesterday' })],
    ['recordLogEvent', 'INVALID_OPTION', 'severity', /one of DEBUG, INFO, WARN, ERROR, not "LOUD"/, (o) => o.recordLogEvent({ eventType: 'x', severity: 'LOUD' as never })],
    ['recordLogEvent', 'INVALID_OPTION', 'actor', /\{ id, type, alternateId\?, displayName\? \}/, (o) => o.recordLogEvent({ eventType: 'x', actor: { id: '00u1' } as never })],
    ['recordLogEvent', 'INVALID_OPTION', 'target', /an array of at most 100/, (o) => o.recordLogEvent({ eventType: 'x', target: {} as never })],
    ['recordLogEvent', 'INVALID_OPTION', 'outcome', /\{ result, reason\? \}/, (o) => o.recordLogEvent({ eventType: 'x', outcome: { result: 1 } as never })],
    ['corruptNextIdToken', 'INVALID_OPTION', 'kind', /one of signature, unknown-kid, .*, not "everything"/, (o) => { o.corruptNextIdToken('everything' as never); }],
    ['injectFault', 'INVALID_OPTION', 'fault', /a fault spec object/, (o) => o.injectFault(null as never)],
    ['injectFault', 'INVALID_OPTION', 'fault.kind', /one of latency, hold, status, drop, truncate, html, non-json, redirect, headers, slow-body, not "explode"/, (o) => o.injectFault({ path: '/x', kind: 'explode' as never })],
    ['injectFault', 'INVALID_OPTION', 'fault.path', /starting with \/.*not "api"/, (o) => o.injectFault({ path: 'api', kind: 'drop' })],
    ['injectFault', 'INVALID_OPTION', 'fault.status', /from 100 to 599.*not 42/, (o) => o.injectFault({ path: '/x', kind: 'status', status: 42 })],
    ['injectFault', 'INVALID_OPTION', 'fault.count', /whole number of requests from 1.*not 0/, (o) => o.injectFault({ path: '/x', kind: 'status', count: 0 })],
    ['injectFault', 'INVALID_OPTION', 'fault.latencyMs', /milliseconds from 0.*not -1/, (o) => o.injectFault({ path: '/x', kind: 'latency', latencyMs: -1 })],
    ['injectFault', 'INVALID_OPTION', 'fault.durationMs', /milliseconds above 0.*not 0/, (o) => o.injectFault({ path: '/x', kind: 'drop', durationMs: 0 })],
    ['injectFault', 'INVALID_OPTION', 'fault.body', /kind "status" only/, (o) => o.injectFault({ path: '/x', kind: 'drop', body: { error: 'x' } })],
    ['injectFault', 'INVALID_OPTION', 'fault.headers', /kinds "status" and "headers" only/, (o) => o.injectFault({ path: '/x', kind: 'html', headers: { a: 'b' } })],
    ['injectFault', 'INVALID_OPTION', 'fault.body', /a JSON object/, (o) => o.injectFault({ path: '/x', kind: 'status', body: [] as never })],
    ['injectFault', 'INVALID_OPTION', 'fault.headers', /an object of strings/, (o) => o.injectFault({ path: '/x', kind: 'status', headers: { a: 1 as never } })],
    ['createServiceApp', 'INVALID_OPTION', 'publicJwks[0]', /needs a kid/, (o) => o.createServiceApp({ scopes: [], publicJwks: [{ kty: 'EC' }] })],
    ['createServiceApp', 'INVALID_OPTION', 'scopes', /an array of scope names.*not "okta\.users\.read"/, (o) => o.createServiceApp({ scopes: 'okta.users.read' as never })],
    ['createServiceApp', 'INVALID_OPTION', 'scopes', /an array of scope names.*\(or \[\]\), not undefined/, (o) => o.createServiceApp({} as never)],
    ['createOinApp', 'INVALID_OPTION', 'scopes', /an array of scope names/, (o) => o.createOinApp({ scopes: [''] })],
    ['createSignInApp', 'INVALID_OPTION', 'scopes', /an array of scope names.*or unset, not an array/, (o) => o.createSignInApp({ ...spa, scopes: [5 as never] })],
    ['createServiceApp', 'INVALID_OPTION', 'scopes', /"custom\.read" is not a scope of the org authorization server: it has okta\.\* scopes.*no custom scopes/, (o) => o.createServiceApp({ scopes: ['okta.users.read', 'custom.read'] })],
    ['createOinApp', 'INVALID_OPTION', 'scopes', /"api:read" is not a scope of the org authorization server/, (o) => o.createOinApp({ scopes: ['api:read'] })],
    ['createOinApp', 'INVALID_OPTION', 'scopes', /"okta\.usres\.read" is not one of Okta's okta\.\* scopes .*check its spelling/, (o) => o.createOinApp({ scopes: ['okta.usres.read'] })],
    ['createSignInApp', 'INVALID_OPTION', 'scopes', /"custom\.read" is not a scope of the org authorization server/, (o) => o.createSignInApp({ ...spa, scopes: ['openid', 'custom.read'] })],
    ['createServiceApp', 'INVALID_OPTION', 'keyCount', /whole number from 1 to 100.*not NaN/, (o) => o.createServiceApp({ scopes: [], keyCount: Number.NaN })],
    ['createServiceApp', 'INVALID_OPTION', 'keyCount', /whole number from 1 to 100.*not 0/, (o) => o.createServiceApp({ scopes: [], keyCount: 0 })],
    ['createServiceApp', 'INVALID_OPTION', 'keyType', /'RSA' or 'EC', or unset, not "DSA"/, (o) => o.createServiceApp({ scopes: [], keyType: 'DSA' as never })],
    // A sign-in app's keyType was never checked: 'ec' made an RSA key.
    ['createSignInApp', 'INVALID_OPTION', 'keyType', /'RSA' or 'EC', or unset, not "ec"/, (o) => o.createSignInApp({ type: 'web', redirectUris: ['http://localhost/cb'], tokenEndpointAuthMethod: 'private_key_jwt', keyType: 'ec' as never })],
    ['createServiceApp', 'INVALID_OPTION', 'publicJwks', /an array of public JWKs/, (o) => o.createServiceApp({ scopes: [], publicJwks: 5 as never })],
    ['createServiceApp', 'INVALID_OPTION', 'publicJwks[0]', /a public JWK object/, (o) => o.createServiceApp({ scopes: [], publicJwks: [null as never] })],
    ['createSignInApp', 'INVALID_OPTION', 'postLogoutRedirectUris', /an array of absolute URLs/, (o) => o.createSignInApp({ ...spa, postLogoutRedirectUris: 5 as never })],
    ['createUser', 'INVALID_OPTION', 'login', /a non-empty string, such as 'ada@example\.com', not undefined/, (o) => o.createUser({} as never)],
    ['createApiToken', 'INVALID_OPTION', 'user', /a login or user id.*not 5/, (o) => o.createApiToken({ user: 5 as never })],
    ['setClockOffset', 'INVALID_OPTION', 'seconds', /a number of seconds.*not NaN/, (o) => { o.setClockOffset(Number.NaN); }],
    ['setClockOffset', 'INVALID_OPTION', 'seconds', /a number of seconds.*not "60"/, (o) => { o.setClockOffset('60' as never); }],
    ['setRateLimit', 'INVALID_OPTION', 'perMinute', /whole number of requests a minute.*not -1/, (o) => { o.setRateLimit('/api/v1/users', -1); }],
    ['setRateLimit', 'INVALID_OPTION', 'bucket', /a bucket such as '\/api\/v1\/users'.*not 5/, (o) => { o.setRateLimit(5 as never, 1); }],
    ['setConcurrencyLimit', 'INVALID_OPTION', 'n', /whole number of requests.*or undefined.*not -1/, (o) => { o.setConcurrencyLimit(-1); }],
    ['setConcurrencyLimit', 'INVALID_OPTION', 'n', /whole number of requests.*not 1\.5/, (o) => { o.setConcurrencyLimit(1.5); }],
    ['createOinApp', 'INVALID_OPTION', 'tokenEndpointAuthMethod', /'client_secret_basic' or 'client_secret_post'.*not "private_key_jwt"/, (o) => o.createOinApp({ scopes: [], tokenEndpointAuthMethod: 'private_key_jwt' as never })],
    ['createSignInApp', 'INVALID_OPTION', 'type', /'spa', 'web' or 'native', not "desktop"/, (o) => o.createSignInApp({ ...spa, type: 'desktop' as never })],
    ['createSignInApp', 'INVALID_OPTION', 'groupsClaim.filter', /'EQUALS', 'STARTS_WITH', 'CONTAINS' or 'REGEX', not "LIKE"/, (o) => o.createSignInApp({ ...spa, groupsClaim: { filter: 'LIKE' as never, value: 'x' } })],
    ['createSignInApp', 'INVALID_OPTION', 'redirectUris', /non-empty array of URLs/, (o) => o.createSignInApp({ ...spa, redirectUris: [] })],
    ['createSignInApp', 'INVALID_OPTION', 'redirectUris', /non-empty array of URLs/, (o) => o.createSignInApp({ type: 'spa' } as never)],
    ['createSignInApp', 'INVALID_OPTION', 'tokenEndpointAuthMethod', /unset for a spa app: it is a public client/, (o) => o.createSignInApp({ ...spa, tokenEndpointAuthMethod: 'client_secret_basic' })],
    ['createSignInApp', 'INVALID_OPTION', 'tokenEndpointAuthMethod', /one of client_secret_basic, .*not "none"/, (o) => o.createSignInApp({ ...web, tokenEndpointAuthMethod: 'none' as never })],
    ['createSignInApp', 'INVALID_OPTION', 'publicJwks[1]', /needs a kid/, (o) => o.createSignInApp({ ...web, tokenEndpointAuthMethod: 'private_key_jwt', publicJwks: [{ kty: 'EC', kid: 'a' }, { kty: 'EC', kid: '' }] })],
  ])('%s: %s naming %s', (where, code, option, message, call) => {
    const error = thrown(() => call(org));
    expect(error).toMatchObject({ name: 'OktaEmulatorError', code, option });
    expect(error.message.startsWith(`${where}: `)).toBe(true);
    expect(error.message).toMatch(message);
  });

  it('keeps the cause of a redirect URI or a regular expression it cannot read, and quotes what was given', () => {
    const cases: [string, SignInAppOptions][] = [
      ['redirectUris', { ...spa, redirectUris: ['/callback'] }],
      ['postLogoutRedirectUris', { ...spa, postLogoutRedirectUris: ['not a url'] }],
    ];
    for (const [option, options] of cases) {
      const error = thrown(() => org.createSignInApp(options));
      expect(error).toMatchObject({ code: 'INVALID_OPTION', option });
      expect(error.message).toMatch(/absolute URLs, such as 'http:\/\/localhost:5173\/callback', not "(\/callback|not a url)"/);
      expect(error.cause).toBeInstanceOf(TypeError);
    }
    const regex = thrown(() => org.createSignInApp({ ...spa, groupsClaim: { filter: 'REGEX', value: '(' } }));
    expect(regex).toMatchObject({ code: 'INVALID_OPTION', option: 'groupsClaim.value' });
    expect(regex.cause).toBeInstanceOf(SyntaxError);
  });

  it("never quotes an API token's value given where its id goes", () => {
    const { id, token } = org.createApiToken();
    for (const revokeOrExpire of [(v: string) => { org.revokeApiToken(v); }, (v: string) => { org.expireApiToken(v); }]) {
      const error = thrown(() => revokeOrExpire(token));
      expect(error).toMatchObject({ code: 'NOT_FOUND', option: 'id' });
      expect(error.message).toMatch(/the value of an API token, not its id: give the id that createApiToken returned/);
      expect(JSON.stringify([error, error.message, error.stack])).not.toContain(token);
    }
    // Another org's token, or a whole header: not shaped like an id, so not quoted either.
    const header = `SSWS 00${'x'.repeat(40)}`;
    const other = thrown(() => { org.revokeApiToken(header); });
    expect(other.message).toBe('revokeApiToken: no API token with the id given (not quoted: it is not shaped like one): give the id that createApiToken returned.');
    org.revokeApiToken(id); // the token itself is untouched by the refusals
  });

  it('never quotes a private key given as a public one', () => {
    const d = 'PRIVATE-PART-of-the-key-never-to-be-quoted';
    const error = thrown(() => org.createServiceApp({ scopes: [], publicJwks: [{ kty: 'EC', kid: 'k', d }] }));
    expect(error).toMatchObject({ code: 'INVALID_OPTION', option: 'publicJwks[0]' });
    expect(error.message).toMatch(/must be a public key/);
    expect(JSON.stringify([error, error.message, String(error.cause), error.stack])).not.toContain(d);
  });

  it('approveDevice names the login when the device code is pending but the user is unknown', async () => {
    const native = org.createSignInApp({ type: 'native', redirectUris: [REDIRECT] });
    const res = await fetch(`${org.url}/oauth2/v1/device/authorize`, form({ client_id: native.clientId, scope: 'openid' }));
    const { user_code: userCode } = (await res.json()) as { user_code: string };
    const error = thrown(() => { org.approveDevice(userCode, 'nobody@example.com'); });
    expect(error).toMatchObject({ code: 'NOT_FOUND', option: 'login' });
    expect(error.message).toMatch(/^approveDevice: no user with login "nobody@example\.com": create one with createUser/);
    org.approveDevice(userCode, 'user0001@example.com'); // still pending: the refusal changed nothing
    expect(thrown(() => { org.denyDevice(userCode); })).toMatchObject({ code: 'NOT_FOUND', option: 'userCode' });
  });

  it('never quotes a device_code given for the user code, nor an API token given for a user or a login', async () => {
    const native = org.createSignInApp({ type: 'native', redirectUris: [REDIRECT] });
    const res = await fetch(`${org.url}/oauth2/v1/device/authorize`, form({ client_id: native.clientId, scope: 'openid' }));
    // Both codes come in one answer: the poller's secret is easily handed over for the person's code.
    const { device_code: deviceCode, user_code: userCode } = (await res.json()) as { device_code: string; user_code: string };
    const { token } = org.createApiToken();
    const refusals: [OktaEmulatorError, string, string][] = [
      [thrown(() => { org.approveDevice(deviceCode, 'user0001@example.com'); }), 'userCode', deviceCode],
      [thrown(() => { org.denyDevice(deviceCode); }), 'userCode', deviceCode],
      [thrown(() => { org.approveDevice(userCode, token); }), 'login', token],
      [thrown(() => org.createApiToken({ user: token })), 'user', token],
    ];
    for (const [error, option, secret] of refusals) {
      expect(error).toMatchObject({ code: 'NOT_FOUND', option, message: expect.stringContaining('(not quoted: it is not shaped like one)') });
      expect(JSON.stringify([error, error.message, error.stack])).not.toContain(secret.slice(0, 12));
    }
    // What is shaped like a user code, a login or an id is still quoted, as the tests above hold.
    expect(thrown(() => org.createApiToken({ user: 'nobody@example.com' })).message).toContain('no user with login or id "nobody@example.com"');
    expect(thrown(() => { org.denyDevice('abcd efgh'); }).message).toContain('user code "abcd efgh"');
    org.denyDevice(userCode); // still pending: the refusals changed nothing
  });

  it('never quotes a token, secret or key given where a path, URL, kind, scope or bucket goes', () => {
    const { token } = org.createApiToken();
    const { clientSecret } = org.createSignInApp(web);
    const { privateKeyPem, privateJwk } = org.createServiceApp({ scopes: ['okta.users.read'] });
    if (clientSecret === undefined || typeof privateJwk.d !== 'string') throw new Error('a web app has a secret, a service app a private key');
    const secrets = [token, clientSecret, privateKeyPem, privateJwk.d];
    const calls: [string, (secret: string) => unknown][] = [
      ['fault.path', (secret) => org.injectFault({ path: secret, kind: 'status', status: 503 })],
      ['fault.kind', (secret) => org.injectFault({ path: '/api/v1/users', kind: secret as 'status' })],
      ['bucket', (secret) => { org.setRateLimit(secret, 5); }],
      ['redirectUris', (secret) => org.createSignInApp({ type: 'web', redirectUris: [secret] })],
      ['scopes', (secret) => org.createServiceApp({ scopes: [secret] })],
      // Not a regular expression either: its SyntaxError (the cause) would quote it whole.
      ['groupsClaim.value', (secret) => org.createSignInApp({ ...spa, groupsClaim: { filter: 'REGEX', value: `${secret}(` } })],
      ['kind', (secret) => { org.corruptNextIdToken(secret as 'signature'); }],
    ];
    let refused = 0;
    for (const secret of secrets) {
      for (const [option, call] of calls) {
        const error = thrown(() => call(secret));
        expect(error, option).toMatchObject({ code: 'INVALID_OPTION', message: expect.stringContaining('a value shaped like a token or key (not quoted)') });
        // As vitest prints a failure: the message, the fields and the cause (a URL's TypeError holds its input).
        expect(inspect(error, { depth: 5 }) + JSON.stringify([error, error.option]), option).not.toContain(secret.replace(/^-----BEGIN [A-Z ]+-----\s*/, '').slice(0, 12));
        refused += 1;
      }
    }
    expect(refused).toBe(secrets.length * calls.length);
    // A value of no such shape is still quoted, as the tests above hold.
    expect(thrown(() => org.injectFault({ path: 'api/v1/users', kind: 'status', status: 503 })).message).toContain('not "api/v1/users"');
  });
});
