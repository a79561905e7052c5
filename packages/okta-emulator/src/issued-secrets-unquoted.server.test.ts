/**
 * Every secret the emulator issues is one its errors never quote: the user lifecycle's one-time tokens
 * (an `activationToken`, the recovery token in a `resetPasswordUrl`) included, which were 20 characters,
 * below the 32 of the shape `shown` refuses to quote, so a control given one by mistake quoted it whole
 * (and a URL's `TypeError`, kept as `cause`, held it). Given where each control takes an id, a login,
 * a path, a URL, a kind, a scope, a bucket or a field's name, it is in no message, field, cause, JSON or
 * inspection of the error.
 */
import { inspect } from 'node:util';
import { failure } from '@org/okta-test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { isOktaEmulatorError, type OktaEmulatorError } from './index.js';
import { useApiTokenOrg } from './test-helpers/api-token-org.js';
import { ssws } from './test-helpers/http.js';
import { form } from './test-helpers/oauth.js';
import { REDIRECT } from './test-helpers/user-tokens.js';

/** The error `run` throws; fails the test when it returns, or throws anything but an OktaEmulatorError (the shared `failure.sync`). */
const thrown = (run: () => unknown): OktaEmulatorError => failure.sync(run, isOktaEmulatorError);

const env = useApiTokenOrg({ seed: { users: 1 } });
let issued: Record<string, string>;

beforeAll(async () => {
  const headers = ssws(env.token);
  const lifecycle = async (id: string, operation: string) => {
    const res = await fetch(`${env.org.url}/api/v1/users/${id}/lifecycle/${operation}?sendEmail=false`, { method: 'POST', headers });
    return (await res.json()) as Record<string, string>;
  };
  const staged = await fetch(`${env.org.url}/api/v1/users?activate=false`, {
    method: 'POST',
    headers: { ...headers, 'Content-Type': 'application/json' },
    body: JSON.stringify({ profile: { login: 'staged@example.com', email: 'staged@example.com', firstName: 'S', lastName: 'T' } }),
  });
  const { activationToken = '' } = await lifecycle(((await staged.json()) as { id: string }).id, 'activate');
  const { resetPasswordUrl = '' } = await lifecycle('user0001@example.com', 'reset_password');
  issued = { activationToken, recoveryToken: resetPasswordUrl.slice(resetPasswordUrl.lastIndexOf('/') + 1) };
});

describe("the user lifecycle's one-time tokens", () => {
  it('are issued', () => {
    expect(Object.values(issued).every((token) => token.length > 0)).toBe(true);
  });

  it('are never quoted by a control given one where it is refused or not found', async () => {
    const { clientId } = env.org.createServiceApp({ scopes: [] });
    const oin = env.org.createOinApp({ scopes: [] });
    const native = env.org.createSignInApp({ type: 'native', redirectUris: [REDIRECT] });
    const res = await fetch(`${env.org.url}/oauth2/v1/device/authorize`, form({ client_id: native.clientId, scope: 'openid' }));
    const { user_code: userCode } = (await res.json()) as { user_code: string };
    const calls: [string, (secret: string) => unknown][] = [
      ['user', (secret) => env.org.createApiToken({ user: secret })],
      ['userCode', (secret) => { env.org.approveDevice(secret, 'user0001@example.com'); }],
      ['login', (secret) => { env.org.approveDevice(userCode, secret); }],
      ['id', (secret) => { env.org.revokeApiToken(secret); }],
      ['clientId', (secret) => env.org.addAppKey(secret)],
      ['keyId', (secret) => { env.org.deactivateAppKey(clientId, secret); }],
      ['secretId', (secret) => { env.org.deactivateAppSecret(oin.clientId, secret); }],
      ['fault.path', (secret) => env.org.injectFault({ path: secret, kind: 'status', status: 503 })],
      ['fault.kind', (secret) => env.org.injectFault({ path: '/api/v1/users', kind: secret as 'status' })],
      ['bucket', (secret) => { env.org.setRateLimit(secret, 5); }],
      ['redirectUris', (secret) => env.org.createSignInApp({ type: 'web', redirectUris: [secret] })],
      ['scopes', (secret) => env.org.createServiceApp({ scopes: [secret] })],
      ['groupsClaim.value', (secret) => env.org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT], groupsClaim: { filter: 'REGEX', value: `${secret}(` } })],
      ['kind', (secret) => { env.org.corruptNextIdToken(secret as 'signature'); }],
      ['a field', (secret) => env.org.createApiToken({ name: 'n', [secret]: 1 })],
    ];
    const quoted: string[] = [];
    for (const [name, secret] of Object.entries(issued)) {
      for (const [option, call] of calls) {
        const error = thrown(() => call(secret));
        // As vitest prints a failure: the message, the fields and the cause (a URL's TypeError holds its input).
        if ((inspect(error, { depth: 5 }) + JSON.stringify([error, error.option, error.message])).includes(secret)) quoted.push(`${name} as ${option}`);
      }
    }
    expect(quoted).toEqual([]);
  });
});
