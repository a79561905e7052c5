import { describe, expect, it } from 'vitest';
import { browserCommand } from './browser.js';

describe('the browser opener', () => {
  // The org chooses verification_uri_complete's query (core only checks its origin); WHATWG URLs keep | ^ & in a query.
  const url = new URL('https://acme.okta.com/activate?user_code=ABCD|calc&x=^%25PATH%25').href;

  it('on Windows is no shell: the URL is one argument of rundll32, never read by cmd', () => {
    expect(url).toContain('|calc');
    const opener = browserCommand(url, {}, 'win32');
    expect(opener).toEqual({ command: 'rundll32', args: ['url.dll,FileProtocolHandler', url] });
  });

  it('is $BROWSER, the platform opener, or nothing (BROWSER=none, no display)', () => {
    expect(browserCommand(url, { BROWSER: '/usr/bin/firefox' }, 'win32')).toEqual({ command: '/usr/bin/firefox', args: [url] });
    expect(browserCommand(url, { BROWSER: 'none' }, 'darwin')).toBeUndefined();
    expect(browserCommand(url, {}, 'darwin')).toEqual({ command: 'open', args: [url] });
    expect(browserCommand(url, { DISPLAY: ':0' }, 'linux')).toEqual({ command: 'xdg-open', args: [url] });
    expect(browserCommand(url, {}, 'linux')).toBeUndefined();
  });
});
