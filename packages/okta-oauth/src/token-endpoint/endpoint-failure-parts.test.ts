/**
 * The parts every OAuth endpoint's failure message is built from, by their return values (the
 * messages' wording is pinned elsewhere; mutation testing, twenty-fourth round): the verb and what
 * follows by status, the device poll's note by grant, a description's final periods.
 */
import { describe, expect, it } from 'vitest';
import { deviceGrant } from '../user/device-poll.js';
import { devicePollNote, endpointFailure, withoutFinalPeriod } from './endpoint-failure.js';
import type { OAuthErrorContext, TokenErrorBody } from './token-error.js';

const context = (grantType?: string): OAuthErrorContext => ({ clientAuth: { method: 'none', keyId: undefined }, dpop: undefined, grantType });

describe('endpointFailure', () => {
  const body = (status: number, more: Partial<TokenErrorBody> = {}): TokenErrorBody => ({ status, requestId: undefined, origin: 'https://acme.okta.com', error: undefined, description: undefined, ...more });
  it('a 4xx is refused, nothing after its hint; from 500 on, could not answer, then the given words or the default', () => {
    expect(endpointFailure('e', 'r', body(400), ' H.')).toBe("Okta's e refused r (400). H. (acme.okta.com)");
    expect(endpointFailure('e', 'r', body(499), '', ' given.')).toBe("Okta's e refused r (499). (acme.okta.com)");
    expect(endpointFailure('e', 'r', body(500), '', ' given.')).toBe("Okta's e could not answer r (500). given. (acme.okta.com)");
    expect(endpointFailure('e', 'r', body(503), '', '')).toBe("Okta's e could not answer r (503). (acme.okta.com)");
    const message = endpointFailure('e', 'r', body(500), '');
    // The default follows the message's own sentence: a sentence of its own, after a space.
    expect(message.slice("Okta's e could not answer r (500).".length)).toMatch(/^ \S.*\. \(acme\.okta\.com\)$/);
  });
  it("the error after the status, the description without its final period, the org's host and the request id last", () => {
    expect(endpointFailure('e', 'r', body(400, { error: 'invalid_request', description: 'Bad. ', requestId: 'id1', origin: 'https://acme.okta.com' }), ' H.')).toBe("Okta's e refused r (400 invalid_request): Bad. H. (acme.okta.com, request id1)");
    expect(endpointFailure('e', 'r', body(400, { origin: 'http://127.0.0.1:8080' }), '')).toBe("Okta's e refused r (400). (127.0.0.1:8080)");
  });
});

describe('devicePollNote', () => {
  it("a note for the device grant only: none for another grant, one ending like it, or none given", () => {
    expect(devicePollNote(context(deviceGrant))).toMatch(/^ \S.*\.$/);
    expect(devicePollNote(context('authorization_code'))).toBeUndefined();
    expect(devicePollNote(context(`${deviceGrant}:more`))).toBeUndefined();
    expect(devicePollNote(context(`device_code`))).toBeUndefined();
    expect(devicePollNote(context())).toBeUndefined();
  });
});

describe('withoutFinalPeriod', () => {
  it.each([
    ['The code expired.', 'The code expired'],
    ['The code expired', 'The code expired'],
    ['The code expired. . ', 'The code expired'],
    ['Two. Sentences.', 'Two. Sentences'],
    ['A ', 'A'],
    ['. .', ''],
    ['', ''],
    [' x', ' x'],
  ])('%j is quoted as %j', (text, quoted) => {
    expect(withoutFinalPeriod(text)).toBe(quoted);
  });
});
