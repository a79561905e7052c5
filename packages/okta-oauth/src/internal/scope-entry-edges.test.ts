/**
 * `checkScopes`' array entries at the edges of its three checks (mutation testing, twenty-fourth
 * round): quotes around an entry that is not one scope, a token split in two never quoted as
 * "several scopes", a separator at an end of an entry holding several, one part that is no scope.
 */
import { describe, expect, it } from 'vitest';
import { refusal } from '../test-helpers/refusal.js';
import { checkScopes } from './validate.js';

const several = (entry: string): string =>
  `INVALID_CONFIG: scopes has an entry holding several scopes, ${JSON.stringify(entry)}: give one scope per array entry, such as ["okta.users.read", "okta.groups.read"], or the whole list as one string separated by spaces.`;

describe('checkScopes: array entries at the edges', () => {
  it('an entry in double quotes (no scope character) is said to be quoted, not invalid', () => {
    for (const entry of ['"okta.users.read"', '"okta.users.read okta.groups.read"']) {
      expect(refusal(() => checkScopes(['openid', entry]))).toBe('INVALID_CONFIG: scopes has an entry that is wrapped in quotes (or has one at an end): remove them.');
    }
  });

  it('a token in double quotes is described, never quoted nor said to be in quotes', () => {
    const token = `"${'0'.repeat(8)}${'A1b2C3d4'.repeat(5)}"`;
    expect(refusal(() => checkScopes([token]))).toBe(`INVALID_CONFIG: scopes has an invalid entry, not shown (${token.length} characters, like a token or secret): scopes are single words such as "okta.users.read".`);
  });

  it('a token-shaped entry of two words is described, never quoted as several scopes', () => {
    const entry = `${'a'.repeat(40)} ${'b'.repeat(40)}`;
    const message = refusal(() => checkScopes([entry]));
    expect(message).toBe(`INVALID_CONFIG: scopes has an invalid entry, not shown (${entry.length} characters, like a token or secret): scopes are single words such as "okta.users.read".`);
    expect(message).not.toContain('aaaa');
  });

  it('several scopes with a separator at an end are several scopes', () => {
    for (const entry of ['okta.users.read,okta.groups.read,', ' okta.users.read okta.groups.read', 'okta.users.read,,okta.groups.read']) {
      expect(refusal(() => checkScopes([entry]))).toBe(several(entry));
    }
  });

  it('an entry one of whose parts is no scope is invalid, not several scopes', () => {
    const entry = 'okta.users.read,okta\\groups';
    expect(refusal(() => checkScopes([entry]))).toBe(`INVALID_CONFIG: scopes has an invalid entry ${JSON.stringify(entry)}: scopes are single words such as "okta.users.read".`);
  });
});
