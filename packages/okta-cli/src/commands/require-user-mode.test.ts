import { failure } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { CliError, ExitCode } from '../exit-codes.js';
import { loadConfig } from '../config/load.js';
import { useSandbox } from '../test-helpers/cli.js';
import { requireUserMode } from './login.js';

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
