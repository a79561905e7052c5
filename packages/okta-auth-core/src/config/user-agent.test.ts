import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { thrown, told } from '../test-helpers/outcome.js';
import { readRuntimeEnv } from './runtime.js';
import { isBrowser, runtimeToken } from './runtime-globals.js';
import { normalizeTransport } from './transport.js';
import { oktaUserAgent } from './user-agent.js';
import { VERSION } from './version.js';

describe('User-Agent', () => {
  it("follows Okta's <package>/<version> <runtime>/<version> convention", () => {
    expect(oktaUserAgent()).toBe(`@org/okta-auth-core/${VERSION} node/${process.versions.node}`);
    expect(runtimeToken()).toBe(`node/${process.versions.node}`);
  });

  // Electron gives its renderer and a worker with Node.js integration Node's process (versions.node) and
  // Chromium's fetch; its main and utility processes are Node.js (process.type 'browser', 'utility').
  it("is a browser in Electron's renderer and worker and with a page's process shim, Node.js in Electron's main and utility processes", () => {
    const as = (type: string | undefined): [string, boolean] => {
      // No type: the `window.process = { env: {} }` shim pages add for libraries reading process.env.
      vi.stubGlobal('process', type === undefined ? { env: {} } : { versions: { node: '22.20.0', electron: '39.0.0' }, env: {}, type });
      try {
        return [runtimeToken(), isBrowser()];
      } finally {
        vi.unstubAllGlobals();
      }
    };
    expect(['renderer', 'worker', 'browser', 'utility', undefined].map(as)).toEqual([['browser', true], ['browser', true], ['node/22.20.0', false], ['node/22.20.0', false], ['browser', true]]);
    expect(isBrowser()).toBe(false);
  });

  it("prepends the user's product tokens and refuses header injection", () => {
    expect(oktaUserAgent('Oktaprise/1.1')).toBe(`Oktaprise/1.1 @org/okta-auth-core/${VERSION} node/${process.versions.node}`);
    expect(oktaUserAgent('Oktaprise/1.1 sync-job')).toMatch(/^Oktaprise\/1\.1 sync-job @org/);
    expect(() => oktaUserAgent('evil\r\nx-injected: 1')).toThrow(TypeError);
    expect(() => oktaUserAgent('two  spaces')).toThrow(TypeError);
    // RFC 9110 §10.1.5 products: token ["/" token], one space between.
    for (const refused of ['a/b/c', 'a/', '/1', ' a', 'a ', 'a/b\tc', 'caf\u00E9/1', '(comment)']) expect(() => oktaUserAgent(refused)).toThrow(/product tokens/);
    expect(oktaUserAgent("x!#$%&'*+-.^_`|~9/1.0-rc.1 b")).toMatch(/^x!#\$%&'\*\+-\.\^_`\|~9\/1\.0-rc\.1 b @org/);
  });

  it('takes none or an empty prefix as no prefix, at most 200 characters, and text only', () => {
    const own = oktaUserAgent();
    expect(oktaUserAgent('')).toBe(own);
    const long = `${'a'.repeat(98)}/1 ${'b'.repeat(99)}`;
    expect(long).toHaveLength(200);
    expect(oktaUserAgent(long)).toBe(`${long} ${own}`);
    expect(() => oktaUserAgent(`${long}c`)).toThrow(/product tokens/);
    for (const userAgent of ['', undefined]) expect(() => normalizeTransport({ userAgent })).not.toThrow();
    for (const userAgent of [42, ['Oktaprise/1.1'], null]) {
      expect(() => normalizeTransport({ userAgent } as never)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    }
  });

  it('names in its refusal every character a product token may have, and only those', () => {
    // RFC 9110 §5.6.2's tchar punctuation, which the option takes (Okta's own convention is name/version).
    const listed = "!#$%&'*+-.^_`|~";
    const message = told(thrown(() => normalizeTransport({ userAgent: '(comment)' })));
    expect(message).toMatch(/^INVALID_CONFIG: The userAgent option must be product tokens such as "Oktaprise\/1\.1"/);
    expect(message).toContain(`ASCII letters, digits and ${listed}`);
    expect(() => oktaUserAgent('(comment)')).toThrow(`ASCII letters, digits and ${listed}`);
    expect(oktaUserAgent('Okta+prise/1.1')).toMatch(/^Okta\+prise\/1\.1 @org/);
    // Every printable ASCII punctuation but the space and the `/` between name and version: taken exactly when named.
    const punctuation = Array.from({ length: 0x7e - 0x20 }, (_, i) => String.fromCharCode(0x21 + i)).filter((c) => !/[A-Za-z0-9/]/.test(c));
    const taken = (c: string): boolean => thrown(() => normalizeTransport({ userAgent: `a${c}b/1` })) === undefined;
    expect(punctuation.filter(taken).join('')).toBe(listed);
  });

  it('keeps VERSION equal to package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });

  it('reads the process environment on Node.js', () => {
    process.env.OKTA_AUTH_TEST_VARIABLE = 'present';
    expect(readRuntimeEnv().OKTA_AUTH_TEST_VARIABLE).toBe('present');
    delete process.env.OKTA_AUTH_TEST_VARIABLE;
  });
});
