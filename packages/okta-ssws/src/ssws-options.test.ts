/**
 * sswsCredentialFromEnv's optional options, read as every package reads them
 * (docs/CONVENTIONS.md, "Code"): `null` is none, anything else that is not an object is
 * INVALID_CONFIG naming the argument (a string was spread into the options, unread).
 */
import { isOktaAuthError } from '@org/okta-auth-core';
import { describe, expect, it } from 'vitest';
import { sswsCredentialFromEnv } from './ssws-from-env.js';

const env = { OKTA_CLIENT_ORGURL: 'http://127.0.0.1:8080', OKTA_CLIENT_TOKEN: '00abcdefghijklmnopqrstuvwxyz0123456789ABCD' };
function outcome(run: () => unknown): string {
  try {
    run();
    return 'ok';
  } catch (error) {
    return isOktaAuthError(error) ? `${error.code}: ${error.message}` : `raw ${String(error)}`;
  }
}

describe('sswsCredentialFromEnv(env, options)', () => {
  it('null is as nothing', () => {
    expect(outcome(() => sswsCredentialFromEnv(env, null as never))).toBe(outcome(() => sswsCredentialFromEnv(env)));
  });

  it.each([
    ['a string', 'text', 'a string'],
    ['a number', 42, 'a number'],
    ['an array', [], 'an array'],
  ] as const)('%s: INVALID_CONFIG naming the argument', (_, value, kind) => {
    expect(outcome(() => sswsCredentialFromEnv(env, value as never))).toBe(`INVALID_CONFIG: sswsCredentialFromEnv(env, options) takes an options object or nothing, not ${kind}.`);
  });
});
