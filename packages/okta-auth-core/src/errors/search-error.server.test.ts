/**
 * Okta's refusal of a list's `search` or `filter` (400 `E0000031` "Invalid search criteria.", the
 * cause "Invalid search syntax."): the message joins summary and cause with one period, not two
 * (migrate147: "Invalid search criteria.. Invalid search syntax."). Core adds no hint of its own for it:
 * the summary names the search, and docs/MIGRATING.md says how to build one (URLSearchParams).
 */
import { startEmulator } from '@org/okta-emulator';
import { describe, expect, it, onTestFinished } from 'vitest';
import { drivers } from '../test-helpers/drivers.js';
import { isOktaApiError, OktaApiError } from './api-error.js';

describe.each(Object.keys(drivers))('%s', (name) => {
  it('a malformed search: one period between summary and cause, no hint', async () => {
    const org = await startEmulator();
    onTestFinished(() => org.close());
    const { token } = org.createApiToken();
    const credential = { kind: 'ssws', origin: org.url, authorize: () => Promise.resolve({ authorization: `SSWS ${token}` }) };
    const query = new URLSearchParams({ search: 'profile.lastName eq' });
    const error: unknown = await drivers[name]!({ credential, retry: false }).getJson(`/api/v1/users?${query}`).then(() => undefined, (thrown: unknown) => thrown);
    if (!isOktaApiError(error)) throw new Error(`expected an OktaApiError, got ${String(error)}`);
    expect([error.status, error.errorCode]).toEqual([400, 'E0000031']);
    expect(error.message).toContain('400 E0000031 Invalid search criteria. Invalid search syntax. (GET ');
    expect(error.message).not.toContain('..');
    expect(error.hint).toBeUndefined();
  });
});

describe('the summary and its causes', () => {
  const url = new URL('https://acme.okta.com/api/v1/users');
  const message = (errorSummary: string, explain?: () => string) =>
    OktaApiError.fromParts({ status: 400, statusText: 'Bad Request', headers: new Headers(), bodyText: JSON.stringify({ errorCode: 'E0000001', errorSummary, errorCauses: [{ errorSummary: 'login: taken' }] }) }, { method: 'POST', url, explain }).message;

  it('a summary ending in punctuation is followed by a space; one without, by a period', () => {
    expect(message('Api validation failed: login')).toBe('400 E0000001 Api validation failed: login. login: taken (POST acme.okta.com/api/v1/users)');
    expect(message('Api validation failed.')).toBe('400 E0000001 Api validation failed. login: taken (POST acme.okta.com/api/v1/users)');
    expect(message('Is it taken?')).toBe('400 E0000001 Is it taken? login: taken (POST acme.okta.com/api/v1/users)');
  });

  it("a credential's hint follows the summary", () => {
    expect(message('Api validation failed.', () => 'Its own.')).toMatch(/: Its own\.$/);
  });
});
