import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOktaEmulatorError, startEmulator, type OktaEmulator } from './index.js';

/**
 * Every field of every options object the emulator takes, given the values a JavaScript test (no
 * types) or a value read from the environment can hold: each call either works (an optional field
 * read as unset) or refuses with `OktaEmulatorError` naming that field, never a runtime `TypeError`
 * nor a refusal naming another option (`injectFault` names its fields `fault.<field>`). `handle-arguments.server.test.ts` sweeps whole arguments;
 * this sweeps the fields inside them.
 */
const WRONG: readonly (readonly [string, unknown])[] = [
  ['null', null],
  ['a string', 'text'],
  ['a numeric string', '3'],
  ['a negative number', -1],
  ['NaN', Number.NaN],
  ['true', true],
  ['an array', []],
  ['an object', {}],
  ['a function', () => 1],
];

let org: OktaEmulator;
let n = 0;
beforeAll(async () => {
  org = await startEmulator();
});
afterAll(async () => {
  await org.close();
});

const unique = () => `field-${String(++n)}@example.com`;
const FACTORIES: readonly (readonly [string, () => Record<string, unknown>, (options: Record<string, unknown>) => unknown])[] = [
  ['createServiceApp', () => ({ scopes: ['okta.users.read'], keyType: 'RSA', requireDpop: true, keyCount: 1, publicJwks: [] }), (o) => org.createServiceApp(o as never)],
  ['createOinApp', () => ({ scopes: ['okta.users.read'], tokenEndpointAuthMethod: 'client_secret_basic' }), (o) => org.createOinApp(o as never)],
  [
    'createSignInApp',
    () => ({ type: 'web', redirectUris: ['http://localhost/cb'], postLogoutRedirectUris: [], scopes: [], requireDpop: false, refreshTokenRotation: 'static', refreshTokenLeewaySeconds: 30, groupsClaim: undefined, label: 'App', signInHint: 'hint' }),
    (o) => org.createSignInApp(o as never),
  ],
  // A web app with keys: the fields only a confidential sign-in app reads (tokenEndpointAuthMethod, keyType, publicJwks).
  [
    'createSignInApp',
    () => ({ type: 'web', redirectUris: ['http://localhost/cb'], tokenEndpointAuthMethod: 'private_key_jwt', keyType: 'EC', publicJwks: [] }),
    (o) => org.createSignInApp(o as never),
  ],
  ['createUser', () => ({ login: unique(), password: 'Pw-Fields-1', firstName: 'F', lastName: 'L', email: unique(), admin: false }), (o) => org.createUser(o as never)],
  ['createApiToken', () => ({ name: 'token', user: undefined }), (o) => org.createApiToken(o)],
  ['injectFault', () => ({ path: '/api/v1/users', kind: 'status', status: 503, count: 1, latencyMs: undefined }), (o) => org.injectFault(o as never)],
  ['recordLogEvent', () => ({ eventType: 'user.session.start', severity: 'INFO', displayMessage: 'm', target: [], outcome: { result: 'SUCCESS' } }), (o) => org.recordLogEvent(o as never)],
];

describe('every field of every options object, given a wrong type', () => {
  it.each(FACTORIES)('%s: works or INVALID_OPTION naming the field', (name, base, call) => {
    expect(() => call(base())).not.toThrow();
    const problems: string[] = [];
    for (const field of Object.keys(base())) {
      let refused = 0;
      for (const [label, value] of WRONG) {
        try {
          call({ ...base(), [field]: value });
        } catch (error) {
          refused++;
          if (!isOktaEmulatorError(error)) problems.push(`${name}({ ${field}: ${label} }): ${String(error)}`);
          else if (error.code !== 'INVALID_OPTION' || !new RegExp(`^(\\w+\\.)?${field}\\b`).test(error.option)) problems.push(`${name}({ ${field}: ${label} }): ${error.code} naming ${error.option}`);
        } finally {
          org.clearFaults();
        }
      }
      // Each field is read: some wrong value of its is refused (one taking anything would be a field never checked).
      if (refused === 0) problems.push(`${name}({ ${field} }): took every wrong value`);
    }
    expect(problems).toEqual([]);
  });
});

// A misspelt field (`requireDPoP`, `keytype`, `isAdmin`, `times` for `count`) was read as unset: a team's
// test of a non-DPoP app got a DPoP one, and a fault meant for one request answered every request.
describe('a field the options object does not take', () => {
  it.each(FACTORIES)('%s: INVALID_OPTION naming it and listing the fields it takes', (name, base, call) => {
    let refused: unknown;
    try {
      call({ ...base(), times: 1 });
    } catch (error) {
      refused = error;
    } finally {
      org.clearFaults();
    }
    expect(refused).toMatchObject({ code: 'INVALID_OPTION', option: expect.stringMatching(/^(fault\.)?times$/), message: expect.stringMatching(new RegExp(`^${name}: (fault\\.)?times is not an option of ${name}: use ${Object.keys(base())[0] ?? ''}, `)) });
  });

  it('addAppKey and the admin API refuse one too', async () => {
    const { clientId } = org.createServiceApp({ scopes: ['okta.users.read'] });
    expect(() => org.addAppKey(clientId, { keytype: 'EC' } as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', option: 'keytype' }));
    const res = await fetch(`${org.url}/__emulator/faults`, { method: 'POST', body: JSON.stringify({ path: '/api/v1/users', kind: 'drop', times: 1 }) });
    expect({ status: res.status, body: await res.json() }).toMatchObject({ status: 400, body: { code: 'INVALID_OPTION', option: 'fault.times' } });
  });
  // A field's name is the caller's text: one that is no name (a token or a PEM pasted as a key, a
  // megabyte of JSON keys) is never quoted, in the message nor in `option`, by the JS API or the admin API.
  it.each([
    ['a token-like key', `00${'x'.repeat(40)}`],
    ['a PEM line', '-----BEGIN PRIVATE KEY-----\nMIIB'],
    ['a long key', 'k'.repeat(5000)],
  ])('a field that is %s is refused unquoted', async (_, key) => {
    let refused: unknown;
    try {
      org.createApiToken({ name: 'token', [key]: 1 });
    } catch (error) {
      refused = error;
    }
    expect(refused).toMatchObject({ code: 'INVALID_OPTION' });
    const { message, option } = refused as { message: string; option: string };
    expect(`${message} ${option}`).not.toContain(key.slice(0, 30));
    expect(message.length).toBeLessThan(400);
    const res = await fetch(`${org.url}/__emulator/faults`, { method: 'POST', body: JSON.stringify({ path: '/api/v1/users', kind: 'drop', [key]: 1 }) });
    const text = await res.text();
    expect(res.status).toBe(400);
    expect(text).not.toContain(JSON.stringify(key).slice(1, 31));
  });
});

// A fault's path is compared with the request's path alone: one with a query never matched any request.
it('injectFault refuses a path with a query, which no request path has', () => {
  expect(() => org.injectFault({ path: '/api/v1/users?limit=1', kind: 'status', status: 503, count: 1 })).toThrow(
    expect.objectContaining({ code: 'INVALID_OPTION', option: 'fault.path', message: expect.stringMatching(/without its query: '\/api\/v1\/users'/) }),
  );
});
