import { failure } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { isOktaAuthError } from './errors.js';
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
    expect(rejection(undefined)).toContain('got undefined');
    expect(rejection(null)).toContain('got null');
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
});
