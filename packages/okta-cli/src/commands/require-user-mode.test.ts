import { PassThrough } from 'node:stream';
import { failure } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { buildCredential, userSignIn } from '../credential.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { loadConfig } from '../config/load.js';
import { useSandbox } from '../test-helpers/cli.js';
import { requireUserMode, runLogout } from './login.js';

// In-process (the command tests spawn the built binary, which Stryker's mutants never reach): the advice each sign-in gets.
const temp = useSandbox();
const sswsProfile = () => loadConfig({ cwd: temp.box.cwd, env: { OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_CLIENT_TOKEN: '00abcdefghijklmnopqrstuvwxyz0123456789ABCD' } });
const refusal = (run: () => void) => failure.sync(run, (e): e is CliError => e instanceof CliError);

describe('requireUserMode: a profile that is no person’s sign-in', () => {
  it('refuses with exit 3, advising the device grant’s app by default and when asked', () => {
    for (const run of [() => requireUserMode(sswsProfile(), 'login'), () => requireUserMode(sswsProfile(), 'login', 'device')]) {
      const error = refusal(run);
      expect(error.exitCode).toBe(ExitCode.CONFIG);
      expect(error.message).toBe(
        'login is for a person\'s sign-in, but profile "default" uses authorizationMode SSWS (token in $OKTA_CLIENT_TOKEN). Set authorizationMode: User and the clientId of an OIDC native app with the Device Authorization grant.',
      );
    }
  });

  it('advises the browser sign-in’s app and its loopback redirect URI for login --browser', () => {
    expect(refusal(() => requireUserMode(sswsProfile(), 'login --browser', 'browser')).message).toBe(
      'login --browser is for a person\'s sign-in, but profile "default" uses authorizationMode SSWS (token in $OKTA_CLIENT_TOKEN). Set authorizationMode: User and the clientId of an OIDC native app with the Authorization Code grant, and redirectUri: a loopback redirect URI among its Sign-in redirect URIs, such as http://127.0.0.1:8765/callback.',
    );
  });

  it('takes a person’s sign-in profile', () => {
    const user = loadConfig({ cwd: temp.box.cwd, env: { OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_CLIENT_AUTHORIZATIONMODE: 'User', OKTA_CLIENT_CLIENTID: '0oa1' } });
    expect(() => requireUserMode(user, 'login', 'browser')).not.toThrow();
  });
});

describe('the advice of the commands that use the stored tokens (logout, api): the app the person signed in with, of either kind', () => {
  const signedInWith = 'the OIDC native app you signed in with: the one with the Device Authorization grant for okta-auth login, or the Authorization Code grant for login --browser';
  const ctx = () => ({ cwd: temp.box.cwd, env: {}, transport: {} });
  const io = { stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough() };
  const noClientId = () => loadConfig({ cwd: temp.box.cwd, env: { OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_CLIENT_AUTHORIZATIONMODE: 'User' } });
  const missing = `authorizationMode User needs clientId (the client id of ${signedInWith}): set okta.client.clientId or OKTA_CLIENT_CLIENTID.`;
  const refused = (run: () => Promise<unknown>) => failure(run, (e): e is CliError => e instanceof CliError);

  it('logout: for a profile of another mode, and for a person’s profile without clientId', async () => {
    const other = await refused(() => runLogout(sswsProfile(), ctx(), io));
    expect([other.exitCode, other.message]).toEqual([
      ExitCode.CONFIG,
      `logout is for a person's sign-in, but profile "default" uses authorizationMode SSWS (token in $OKTA_CLIENT_TOKEN). Set authorizationMode: User and the clientId of ${signedInWith}.`,
    ]);
    const none = await refused(() => runLogout(noClientId(), ctx(), io));
    expect([none.exitCode, none.message]).toEqual([ExitCode.CONFIG, missing]);
  });

  it('api (the credential of a person’s profile) without clientId', async () => {
    const none = await refused(() => buildCredential(noClientId(), ctx()));
    expect([none.exitCode, none.message]).toEqual([ExitCode.CONFIG, missing]);
  });

  it('login keeps the device grant’s app for a missing clientId', async () => {
    const none = await refused(() => userSignIn(noClientId(), ctx()));
    expect(none.message).toBe('authorizationMode User needs clientId (the client id of an OIDC native app with the Device Authorization grant): set okta.client.clientId or OKTA_CLIENT_CLIENTID.');
  });
});
