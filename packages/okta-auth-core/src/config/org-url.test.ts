import { failure } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { isOktaAuthError } from '../errors/errors.js';
import { parseOrgUrl } from './org-url.js';

const rejection = (input: unknown, options = {}): string => {
  const error = failure.sync(() => parseOrgUrl(input as string, options), isOktaAuthError);
  expect(error.code).toBe('INVALID_ORG_URL');
  return error.message;
};

describe('parseOrgUrl', () => {
  it('accepts an https origin, with or without a trailing slash', () => {
    expect(parseOrgUrl('https://acme.okta.com').origin).toBe('https://acme.okta.com');
    expect(parseOrgUrl('https://acme.okta.com/').href).toBe('https://acme.okta.com/');
    expect(parseOrgUrl(' https://acme.okta.com/ \n').origin).toBe('https://acme.okta.com');
    expect(parseOrgUrl(new URL('https://acme.okta.com')).origin).toBe('https://acme.okta.com');
  });

  it('accepts custom domains and resolves paths against the org', () => {
    const org = parseOrgUrl('https://login.example.com');
    expect(org.resolve('/oauth2/v1/token').href).toBe('https://login.example.com/oauth2/v1/token');
    expect(String(org)).toBe('https://login.example.com');
  });

  it('refuses plain http, except loopback with the explicit opt-in', () => {
    expect(rejection('http://acme.okta.com')).toContain('https://acme.okta.com');
    expect(rejection('http://127.0.0.1:8080')).toContain('allowInsecureLoopback');
    expect(parseOrgUrl('http://127.0.0.1:8080', { allowInsecureLoopback: true }).origin).toBe('http://127.0.0.1:8080');
    expect(parseOrgUrl('http://localhost:1', { allowInsecureLoopback: true }).origin).toBe('http://localhost:1');
    expect(parseOrgUrl('http://[::1]:1', { allowInsecureLoopback: true }).origin).toBe('http://[::1]:1');
    expect(rejection('http://10.0.0.1', { allowInsecureLoopback: true })).toContain('https');
  });

  it('refuses paths, queries, fragments and credentials, naming the origin to use', () => {
    expect(rejection('https://acme.okta.com/oauth2/default')).toMatch(/use "https:\/\/acme\.okta\.com".*not under \/oauth2/);
    expect(rejection('https://acme.okta.com/api/v1')).toContain('"https://acme.okta.com"');
    expect(rejection('https://acme.okta.com/?x=1')).toContain('no path, query or fragment');
    expect(rejection('https://acme.okta.com/#x')).toContain('no path, query or fragment');
    expect(rejection('https://acme.okta.com?')).toContain('no path, query or fragment');
    const message = rejection('https://user:hunter2secret@acme.okta.com');
    expect(message).toContain('user name or password');
    expect(message).not.toContain('hunter2secret');
  });

  it('refuses admin domains and names the org domain', () => {
    expect(rejection('https://acme-admin.okta.com')).toContain('use "https://acme.okta.com"');
    expect(rejection('https://acme-admin.oktapreview.com/')).toContain('use "https://acme.oktapreview.com"');
  });

  it('refuses unfilled placeholders', () => {
    for (const input of ['https://{yourOktaDomain}', 'https://${OKTA_DOMAIN}', '{yourOktaDomain}', 'https://<org>.okta.com', 'https://yourOktaDomain.okta.com']) {
      expect(rejection(input)).toContain('placeholder');
    }
  });

  it('refuses other schemes, missing schemes, garbage and non-strings', () => {
    expect(rejection('ftp://acme.okta.com')).toContain('https');
    expect(rejection('acme.okta.com')).toContain('use "https://acme.okta.com"');
    expect(rejection('')).toContain('empty');
    expect(rejection('https://')).toContain('not a valid URL');
    for (const none of [undefined, null, 8080]) {
      expect(rejection(none)).toBe('The Okta org URL is missing or not a string: set orgUrl to your org, such as "https://acme.okta.com".');
    }
    expect(rejection(`https://${'a'.repeat(3000)}.com`)).toContain('too long');
  });

  it('quotes no API token or JWT given as the org URL (swapped OKTA_CLIENT_ORGURL and OKTA_CLIENT_TOKEN)', () => {
    const apiToken = '00abcdefghijklmnopqrstuvwxyz0123456789ABCD';
    const header = 'eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0';
    const jwt = `${header}.eyJzdWIiOiIwMG8xIiwiaXNzIjoiaHR0cHM6Ly9hY21lLm9rdGEuY29tIiwiZXhwIjoxNzAwMDAwMDAwfQ.c2ln`;
    for (const [input, secret] of [[apiToken, apiToken], [jwt, header], [`//${jwt}/x`, header], [`${header}.c2ln`, header]] as const) {
      const message = rejection(input);
      expect(message).toContain('is not a valid URL');
      expect(message).not.toContain(secret);
    }
    // A host name is still quoted as the fix.
    expect(rejection('acme.okta.com:8443/')).toContain('use "https://acme.okta.com:8443"');
  });

  it('quotes no API token or JWT given as the host of a URL (the fixes for http, a path, a root dot quote only a host name)', () => {
    const apiToken = '00abcdefghijklmnopqrstuvwxyz0123456789ABCD';
    const header = 'eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0';
    const inputs = [`http://${apiToken}`, `https://${apiToken}/api/v1`, `https://${apiToken}.`, `http://${apiToken.slice(0, 20)}_${apiToken.slice(20)}:8080`, `https://${header}.c2ln/x`, `http://${header}.c2ln`];
    for (const input of inputs) {
      const message = rejection(input);
      expect(message.toLowerCase(), input).not.toContain(apiToken.slice(2, 20).toLowerCase());
      expect(message.toLowerCase(), input).not.toContain(header.slice(0, 20).toLowerCase());
      // A host of one label is no public name: refused as such, quoted by no fix.
      expect(message, input).toMatch(/^The Okta org URL (must use https|must be an origin with no path|must not end its host name with a dot|must be your org's public domain name)/);
    }
    // Host names (and loopback addresses) are still quoted as the fix; any other IP address is refused before a fix is quoted.
    expect(rejection('http://acme.okta.com:8080')).toContain('use "https://acme.okta.com:8080"');
    expect(rejection('https://[::1]:8443/x', { allowInsecureLoopback: true })).toContain('use "https://[::1]:8443"');
    expect(rejection('http://127.0.0.1:8080/x', { allowInsecureLoopback: true })).toContain('use "http://127.0.0.1:8080"');
    expect(rejection('https://10.0.0.5/x')).toMatch(/^The Okta org URL must be your org's public domain name/);
  });

  it('accepts http only for 127.0.0.0/8 itself, not a name that starts like it', () => {
    expect(parseOrgUrl('http://127.100.20.254:1', { allowInsecureLoopback: true }).origin).toBe('http://127.100.20.254:1');
    expect(rejection('http://127.0.0.1.attacker.example:1', { allowInsecureLoopback: true })).toContain('must use https');
  });

  it('refuses a user name alone and a password alone (a token pasted as the URL\'s user)', () => {
    for (const input of ['https://00QCjAl4sentinel@acme.okta.com', 'https://:hunter2secret@acme.okta.com']) {
      const message = rejection(input);
      expect(message).toBe('The Okta org URL must not contain a user name or password: use only the origin, such as "https://acme.okta.com".');
    }
  });

  it('refuses an empty fragment, and says which scheme it refused', () => {
    expect(rejection('https://acme.okta.com#')).toContain('no path, query or fragment');
    expect(rejection('ftp://acme.okta.com')).toBe('The Okta org URL must use https, not "ftp".');
    expect(rejection('https://acme.okta.com/api/v1')).toBe('The Okta org URL must be an origin with no path, query or fragment: use "https://acme.okta.com".');
    expect(rejection('')).toBe('The Okta org URL is empty: set it to your org, such as "https://acme.okta.com".');
  });

  it('refuses a host name with a root dot, naming the host without it, and sees admin domains through it', () => {
    expect(rejection('https://acme.okta.com.')).toBe('The Okta org URL must not end its host name with a dot: use "https://acme.okta.com".');
    expect(rejection('https://login.example.com..:8443/')).toContain('use "https://login.example.com:8443"');
    expect(rejection('https://acme-admin.okta.com.')).toBe('"https://acme-admin.okta.com" is the Admin Console domain; API calls go to the org domain: use "https://acme.okta.com".');
  });

  it('refuses the admin domain of every Okta cell, and placeholders spelled your-org or yourorg', () => {
    for (const domain of ['okta.com', 'oktapreview.com', 'okta-emea.com', 'okta-gov.com', 'okta.mil', 'trexcloud.com', 'okta-miltest.com']) {
      expect(rejection(`https://acme-admin.${domain}`)).toContain(`use "https://acme.${domain}"`);
    }
    for (const input of ['https://your-org.okta.com', 'https://yourorg.okta.com', 'https://your_org.okta.com']) expect(rejection(input)).toContain('placeholder');
  });

  it('quotes a missing scheme\'s fix only for a whole host name (RFC 1035 labels, at most 253 characters)', () => {
    expect(rejection('//acme.okta.com')).toContain('use "https://acme.okta.com"');
    expect(rejection('///acme.okta.com/x')).toContain('use "https://acme.okta.com"');
    expect(rejection('acme.okta.com/?next=https://x')).toContain('use "https://acme.okta.com"');
    const label = 'a'.repeat(63);
    const longest = `${label}.${label}.${label}.${'b'.repeat(61)}`;
    expect(rejection(longest)).toContain(`use "https://${longest}"`);
    // Not host names: a token with a host-like tail or head, a label with `_`, a name over 253 characters.
    for (const input of ['SSWS 00QCjAl4sentinel.okta.com', 'acme.sentinel_token_value', 'sentinel_token.okta.com', `${longest}b`]) {
      expect(rejection(input)).toBe('The Okta org URL is not a valid URL: it should look like "https://acme.okta.com".');
    }
  });

  // The URL parser takes these hosts, and each call then failed as a network error (DNS), which blames the connection.
  it('refuses a host no DNS name can be (a stray quote, comma, semicolon, `*`, an empty or hyphen-edged label), quoting none of it', () => {
    const message = 'The Okta org URL has a host name that cannot be one (letters, digits and hyphens, separated by dots): check for a stray quote, comma or other character; it should look like "https://acme.okta.com".';
    for (const input of ['https://acme.okta.com;', 'https://acme.okta.com,https://b.okta.com', 'https://*.okta.com', 'https://a..okta.com', 'https://-admin.okta.com', 'https://acme-.okta.com', 'https://acme.okta.com!', `https://${'a'.repeat(64)}.okta.com`, `https://${'a.'.repeat(127)}com`]) {
      expect(rejection(input), input).toBe(message);
    }
    // Still taken: IDN (as punycode), a label of 63, one with "_", uppercase, the default port (IP literals are not: below).
    for (const [input, origin] of [
      ['https://ａｃｍｅ.okta.com', 'https://acme.okta.com'],
      ['https://аcme.okta.com', 'https://xn--cme-5cd.okta.com'],
      [`https://${'a'.repeat(63)}.okta.com`, `https://${'a'.repeat(63)}.okta.com`],
      ['https://acme_x.okta.com', 'https://acme_x.okta.com'],
      ['HTTPS://ACME.OKTA.COM:443', 'https://acme.okta.com'],
    ]) {
      expect(parseOrgUrl(input!).origin, input).toBe(origin);
    }
  });

  it('says to remove quotes around the org URL, or one left at an end (docker --env-file keeps those of VAR="…")', () => {
    for (const input of ['"https://acme.okta.com"', "'https://acme.okta.com'", 'https://acme.okta.com"', '"acme.okta.com', '`https://acme.okta.com`']) {
      expect(rejection(input), input).toBe('The Okta org URL is wrapped in quotes (or has one at an end): remove them.');
    }
  });

  it('names what is wrong with a quote inside the org URL, not at an end: it is not wrapped in quotes', () => {
    // A quote in the path is a path, one in the host a host that cannot be: removing quotes at the ends would fix nothing.
    expect(rejection("https://acme.okta.com/it's/x")).toBe('The Okta org URL must be an origin with no path, query or fragment: use "https://acme.okta.com".');
    expect(rejection('https://ac"me.okta.com/')).toMatch(/^The Okta org URL has a host name that cannot be one .*check for a stray quote/);
    expect(rejection('https://`acme`.okta.com')).toMatch(/^The Okta org URL has a host name that cannot be one/);
  });

  it('refuses port 0, which every call would fail on', () => {
    expect(rejection('https://acme.okta.com:0')).toBe('The Okta org URL has port 0, where no server listens: leave the port out (443), or give the one your server listens on.');
    expect(rejection('http://127.0.0.1:0', { allowInsecureLoopback: true })).toContain('port 0');
  });

  it('tells a loopback host with a root dot to drop the dot, not to use https', () => {
    expect(rejection('http://localhost.:8080', { allowInsecureLoopback: true })).toBe('The Okta org URL must not end its host name with a dot: use "http://localhost:8080".');
    expect(rejection('http://localhost.:8080')).toContain('allowInsecureLoopback: true');
  });

  // The URL parser drops a tab or line break anywhere: a value holding the org URL, a line break and
  // the API token (a .env line not split, a multi-line secret) gave an origin with the token,
  // lower-cased, glued to its host: in credential.origin, JSON.stringify(credential), the log and a DNS query.
  it('refuses a tab or line break inside the org URL, so nothing after it joins the host, quoting neither part', () => {
    const token = '00QCjAl4MlV-WPXMsentinelSswsToken0HmjFxZ9';
    for (const input of [`https://acme.okta.com\n${token}`, `https://acme.okta.com\r\n${token}`, `https://acme.okta.com\t${token}`, `https://acme.okta.com\nOKTA_CLIENT_TOKEN=${token}`, 'https://acme.ok\nta.com']) {
      const message = rejection(input);
      expect(message).toBe('The Okta org URL has a line break or tab inside it: it should be one line, such as "https://acme.okta.com".');
      expect(message.toLowerCase()).not.toContain(token.slice(2, 18).toLowerCase());
    }
    // Around it, they are trimmed as before.
    expect(parseOrgUrl('\thttps://acme.okta.com/\r\n').origin).toBe('https://acme.okta.com');
  });

  it('tells an http org URL that is not loopback (an emulator in another container) where plain http is allowed', () => {
    // A name of one label (a container's) is not quoted: it may be an API token given as the org URL. It and an IP
    // address are no public name either: refused as such, the rule of plain http said after.
    for (const input of ['http://okta-emulator:8080', 'http://192.168.1.5:8080', 'http://[::ffff:127.0.0.1]:8080', 'http://emulator.corp.example.com:8080']) {
      expect(rejection(input, { allowInsecureLoopback: true }), input).toMatch(/^The Okta org URL must (use https(: use "https:\/\/.+")? \(|be your org's public domain name, .*; )plain http and this machine \(127\.0\.0\.1, localhost or \[::1\]\) are only for a test server there, with allowInsecureLoopback: true \(in a …FromEnv helper's second argument\)\)?\.$/);
    }
  });
});

// An org URL typed into a partner's onboarding form: the worker connects where it points and sends the token request
// (Basic, the customer-typed id and secret) there. An Okta org or a custom domain is always a public DNS name of two
// labels or more, so an address inside the partner's network is refused before anything is sent, whatever the scheme.
describe('parseOrgUrl refuses a host that no Okta org or custom domain has (SSRF through the org URL)', () => {
  const notPublic = /^The Okta org URL must be your org's public domain name, such as "https:\/\/acme\.okta\.com" or a custom domain, not an IP address or a private name \(one label, \.internal, \.local, \.localhost, \.home\.arpa, \.svc\); plain http and this machine/;

  it.each([
    // IP literals, v4 and v6, and the forms the URL parser writes as one (hex, octal, one number, `0` for 0.0.0.0).
    'https://10.0.0.5', 'https://169.254.169.254', 'https://192.168.1.5:8443', 'https://1.2.3.4', 'https://0', 'https://0.0.0.0:6379',
    'https://0xa.1', 'https://3232235777', 'https://[fd00::1]', 'https://[2001:db8::1]:8443', 'https://[::ffff:127.0.0.1]', 'https://[::]',
    // One label: a container's or a search domain's name.
    'https://redis', 'https://redis:6379', 'https://okta-emulator:8080', 'http://okta-emulator:8080',
    // Special-use names that are never public: RFC 6761 §6.3, RFC 6762, RFC 8375, ICANN's .internal, Kubernetes' .svc.
    'https://app.localhost', 'https://printer.local', 'https://kubernetes.default.svc.cluster.local', 'https://metadata.google.internal',
    'https://router.home.arpa', 'https://kubernetes.default.svc', 'https://KUBERNETES.DEFAULT.SVC:443', 'https://metadata.google.internal.',
    'http://10.0.0.5:8080', 'ftp://10.0.0.5',
  ])('%s, quoting no host', (input) => {
    for (const options of [{}, { allowInsecureLoopback: true }]) {
      const message = rejection(input, options);
      expect(message, input).toMatch(notPublic);
      expect(message, input).not.toContain(new URL(input).hostname);
    }
  });

  it.each(['https://127.0.0.1:6379', 'https://localhost:9200', 'https://[::1]:8443', 'https://2130706433', 'https://0x7f.1', 'https://0177.0.0.1', 'http://localhost:8080'])(
    '%s (this machine) only with allowInsecureLoopback, as http',
    (input) => {
      const origin = new URL(input).origin;
      expect(rejection(input)).toBe(`The Okta org URL "${origin}": plain http and this machine (127.0.0.1, localhost or [::1]) are only for a test server there, with allowInsecureLoopback: true (in a …FromEnv helper's second argument).`);
      expect(parseOrgUrl(input, { allowInsecureLoopback: true }).origin).toBe(origin);
    },
  );

  it.each([
    ['https://acme.okta.com', 'https://acme.okta.com'],
    ['https://acme.okta-emea.com', 'https://acme.okta-emea.com'],
    ['https://acme.oktapreview.com:443/', 'https://acme.oktapreview.com'],
    ['https://acme.okta-gov.com', 'https://acme.okta-gov.com'],
    ['https://login.customer.com', 'https://login.customer.com'],
    ['https://id.internal-tools.example.com', 'https://id.internal-tools.example.com'],
    ['https://local.customer.io', 'https://local.customer.io'],
    ['https://аcme.okta.com', 'https://xn--cme-5cd.okta.com'],
    ['https://xn--bcher-kva.example', 'https://xn--bcher-kva.example'],
    ['https://1password.com', 'https://1password.com'],
    ['https://acme.okta.com:8443', 'https://acme.okta.com:8443'],
  ])('still takes %s', (input, origin) => {
    expect(parseOrgUrl(input).origin).toBe(origin);
  });
});
