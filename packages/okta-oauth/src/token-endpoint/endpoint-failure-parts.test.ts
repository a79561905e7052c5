/**
 * The parts every OAuth endpoint's failure message is built from, by their return values (the
 * messages' wording is pinned elsewhere; mutation testing, twenty-fourth round): the verb and what
 * follows by status, the device poll's note by grant, a description's final periods.
 */
import { describe, expect, it } from 'vitest';
import { deviceGrant } from '../user/device-poll.js';
import { answerFailure, devicePollNote, withoutFinalPeriod } from './endpoint-failure.js';
import type { OAuthErrorContext } from './token-error.js';

const context = (grantType?: string): OAuthErrorContext => ({ clientAuth: { method: 'none', keyId: undefined }, dpop: undefined, grantType });

describe('answerFailure', () => {
  it('a 4xx is refused, nothing after; from 500 on, could not answer, then the given words or the default', () => {
    expect(answerFailure(400)).toEqual(['refused', '']);
    expect(answerFailure(499, ' given.')).toEqual(['refused', '']);
    expect(answerFailure(500, ' given.')).toEqual(['could not answer', ' given.']);
    expect(answerFailure(503, '')).toEqual(['could not answer', '']);
    const [verb, after] = answerFailure(500);
    expect(verb).toBe('could not answer');
    // The default follows the message's own sentence: a sentence of its own, after a space.
    expect(after).toMatch(/^ \S.*\.$/);
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
