import { describe, expect, it } from 'vitest';
import { ExitCode, exitCodeOf } from './exit-codes.js';
import { proxyFetch } from './proxy.js';

describe('proxyFetch', () => {
  it('no proxy variable: undefined (the runtime fetch is used)', async () => {
    expect(await proxyFetch({})).toBeUndefined();
    expect(await proxyFetch({ HTTPS_PROXY: '  ', NO_PROXY: 'acme.okta.com' })).toBeUndefined();
  });

  it('a proxy URL, with a password, surrounding spaces or an IPv6 address: a fetch', async () => {
    for (const value of ['http://proxy.corp.example:3128', ' http://ada:s3cret@proxy.corp.example:3128 ', 'http://ada:p%40ss@[::1]:3128', 'proxy.corp.example:3128', 'ada:s3cret@proxy.corp.example:3128']) {
      expect(typeof (await proxyFetch({ HTTPS_PROXY: value }))).toBe('function');
    }
  });

  it('a password that is not valid percent-encoding: a configuration error that names the variable, not the runtime URIError', async () => {
    for (const value of ['http://ada:s3cret%zz@proxy.corp.example:3128', 'http://s3cret%E0%A4%A@proxy.corp.example:3128']) {
      let thrown: unknown;
      try {
        await proxyFetch({ https_proxy: value });
      } catch (error) {
        thrown = error;
      }
      expect(exitCodeOf(thrown)).toBe(ExitCode.CONFIG);
      expect((thrown as Error).message).toContain('https_proxy is not a proxy URL');
      expect((thrown as Error).message).toContain('percent-encoded');
      expect((thrown as Error).message).not.toContain('s3cret');
    }
  });
});
