import { failure } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { CliError } from '../exit-codes.js';
import { useSandbox } from '../test-helpers/cli.js';
import { loadConfig } from './load.js';
import { loopbackRedirect } from './redirect-uri.js';

const temp = useSandbox();

const user = { OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_CLIENT_CLIENTID: '0oa1' };
const redirect = (value?: string) => loopbackRedirect(loadConfig({ cwd: temp.box.cwd, env: value === undefined ? user : { ...user, OKTA_CLIENT_REDIRECTURI: value } }));
const refusal = (value?: string) => failure.sync(() => redirect(value), (e): e is CliError => e instanceof CliError);

describe('redirectUri: the loopback redirect of okta-auth login --browser', () => {
  it('reads http://127.0.0.1:<port>/<path> and http://[::1]:<port>/<path>, from okta.yaml or OKTA_CLIENT_REDIRECTURI', () => {
    expect(redirect('http://127.0.0.1:8765/callback')).toEqual({ uri: 'http://127.0.0.1:8765/callback', host: '127.0.0.1', port: 8765, path: '/callback', hostHeader: '127.0.0.1:8765' });
    expect(redirect(' http://[::1]:49152/auth/cb ')).toEqual({ uri: 'http://[::1]:49152/auth/cb', host: '::1', port: 49152, path: '/auth/cb', hostHeader: '[::1]:49152' });
    temp.box.writeYaml('cwd', { profiles: { cli: { orgUrl: 'https://acme.okta.com', clientId: '0oa1', redirectUri: 'http://127.0.0.1:9000/' } } });
    expect(loopbackRedirect(loadConfig({ cwd: temp.box.cwd, env: {}, profile: 'cli' })).port).toBe(9000);
    // The first and last ports there are.
    expect(redirect('http://127.0.0.1:1/cb').port).toBe(1);
    expect(redirect('http://[::1]:65535/cb').port).toBe(65535);
  });

  it('a blank redirectUri is none, and a named profile is told its own setting', () => {
    expect(refusal('   ').message).toMatch(/needs redirectUri, .*set okta\.client\.redirectUri or OKTA_CLIENT_REDIRECTURI\.$/);
    temp.box.writeYaml('cwd', { profiles: { cli: { orgUrl: 'https://acme.okta.com', clientId: '0oa1', redirectUri: '  ' } } });
    const named = failure.sync(() => loopbackRedirect(loadConfig({ cwd: temp.box.cwd, env: {}, profile: 'cli' })), (e): e is CliError => e instanceof CliError);
    expect(named.message).toMatch(/needs redirectUri, .*set okta\.profiles\.cli\.redirectUri\.$/);
  });

  it('refuses anything else with a configuration error (exit 3) that names the setting and what to write', () => {
    // The refusal with nothing after the fixed shape: no reason of a closer miss.
    const only = /must be http:\/\/127\.0\.0\.1:<port>\/<path> or http:\/\/\[::1\]:<port>\/<path> \(RFC 8252 §7\.3, a loopback redirect okta-auth listens on\); register/;
    const cases: [string | undefined, RegExp][] = [
      [undefined, /needs redirectUri, .*set okta\.client\.redirectUri or OKTA_CLIENT_REDIRECTURI/],
      ['http://localhost:8765/callback', /not localhost .*RFC 8252 §8\.3/],
      ['https://127.0.0.1:8765/callback', /plain http/],
      ['http://127.0.0.1/callback', /needs its port/],
      ['http://[::1]', /needs its port/],
      ['http://127.0.0.1:0/callback', /port from 1 to 65535;/],
      ['http://127.0.0.1:65536/callback', /port from 1 to 65535;/],
      ['http://127.0.0.1:80/callback', /port from 1 to 65535, not 80/],
      ['http://127.0.0.1:8765', /needs a path/],
      ['http://127.0.0.1:8765?x=1', /needs a path/],
      ['http://127.0.0.1:8765/cb?r=https://127.0.0.1/', /no query or fragment/],
      ['http://127.0.0.1:8765/cb?r=http://localhost/', /no query or fragment/],
      ['http://127.0.0.1:8765/cb?x=1', /no query or fragment/],
      ['http://127.0.0.1:8765/cb#x', /no query or fragment/],
      ['http://127.0.0.1:8765/a/../cb', /as a URL parser writes it/],
      ['http://user@127.0.0.1:8765/cb', only],
      ['http://10.0.0.1:8765/cb', only],
      ['http://127.0.0.2:8765/cb', only],
      ['com.okta.acme:/callback', only],
      ['com.okta.acme:/callback?to=http://127.0.0.1/', only],
      ['xhttp://127.0.0.1:8765/cb', only],
      ['http://127.0.0.1:876543/cb', only],
      ['http://127.0.0.1:8765x/cb', only],
    ];
    for (const [value, message] of cases) {
      const error = refusal(value);
      expect(error.exitCode, String(value)).toBe(3);
      expect(error.message, String(value)).toMatch(message);
      if (value !== undefined) expect(error.message).toContain('redirectUri ($OKTA_CLIENT_REDIRECTURI)');
    }
  });

  it('never quotes the value: a credential pasted in the wrong setting stays out of the message', () => {
    const secret = '00abcdefghijklmnopqrstuvwxyz0123456789ABCD';
    expect(refusal(secret).message).not.toContain(secret.slice(0, 12));
    expect(refusal(`http://127.0.0.1:8765/${secret}?x`).message).not.toContain(secret.slice(0, 12));
  });
});
