/**
 * What the shared option checks (`validate.ts`) refuse, and with which words (mutation testing,
 * fourth round, docs/security-history.md): each refusal is `INVALID_CONFIG` naming the option and the fix;
 * a bad scope is quoted at most 60 characters, one that looks like a token not at all
 * (`secret-in-option.test.ts`); nothing else of a value is quoted.
 */
import { describe, expect, it } from 'vitest';
import { refusal } from '../test-helpers/refusal.js';
import { checkClientId, checkDpop, checkDpopMode, checkDpopOptions, checkScopes, checkTransport } from './validate.js';

describe('checkClientId', () => {
  it('calls a blank client id missing, and one with a space or a non-ASCII character not a client id', () => {
    expect(refusal(() => checkClientId(' \t '))).toMatch(/^INVALID_CONFIG: clientId is missing: give the app's client id/);
    for (const bad of ['0oa1 bcd', '0oa1bcdé']) expect(refusal(() => checkClientId(bad))).toBe('INVALID_CONFIG: clientId is not a client id: it must be printable ASCII with no spaces.');
  });

  // The demo printed such a value on stdout and served it in /config.json (rev165a): what cannot be a client id and is a secret's shape.
  it("refuses a JWT or a PEM as a token or secret, and a shortened copy (the README's 0oa…) as shortened, never quoting it, saying what to give", () => {
    const give = 'give the app\'s Client ID (its General tab), such as "0oa1bcd2efGHIJ3kl4m5"';
    const jws = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIwMHUxIn0.SignaturePartOfAnAccessTokenXYZ';
    const jwe = 'eyJhbGciOiJSU0EtT0FFUCJ9.a2V5.aXY.Y2lwaGVy.dGFn';
    const pemLine = '-----BEGIN PRIVATE KEY-----\\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\\n-----END PRIVATE KEY-----';
    for (const secret of [jws, jwe, pemLine, pemLine.replaceAll('\\n', '\n'), '-----BEGIN PRIVATE KEY-----']) {
      const said = refusal(() => checkClientId(secret, 'OKTA_CLIENT_CLIENTID'));
      expect(said).toBe(`INVALID_CONFIG: OKTA_CLIENT_CLIENTID looks like a token or secret (not shown): ${give}.`);
    }
    for (const short of ['0oa…', '0oa1bcd…kl4m5', '0oa1bcd...kl4m5']) {
      expect(refusal(() => checkClientId(short))).toBe(`INVALID_CONFIG: clientId is shortened ("…" or "..." inside it, as in an example): ${give}, whole.`);
    }
  });

  // Okta lets an app created through its Apps API choose its own client_id: length and alphabet alone refuse nothing.
  it('takes a long client id, of a secret\'s alphabet or with dots', () => {
    for (const id of [`my-company.integration_${'A1b2C3d4'.repeat(20)}`, 'a.b.c', 'eyJ-not.a-jwt']) expect(checkClientId(id)).toBe(id);
  });
});

describe('checkScopes', () => {
  it('ignores separators at either end of a string', () => {
    expect(checkScopes(' ,openid okta.users.read, ')).toEqual(['openid', 'okta.users.read']);
  });

  it('refuses an entry that is not a string, even one whose text would be a scope, naming its type and the two forms scopes take', () => {
    for (const [entry, type] of [[42, 'number'], [null, 'null'], [true, 'boolean'], [['okta.users.read'], 'an array'], [{ scope: 'okta.users.read' }, 'object']] as const) {
      expect(refusal(() => checkScopes(['openid', entry]))).toBe(
        `INVALID_CONFIG: scopes has an entry that is not a string (${type}): give one scope per array entry, such as ["okta.users.read", "okta.groups.read"], or the whole list as one string separated by spaces.`,
      );
    }
  });

  it('refuses an array entry holding several scopes, saying to split it or pass the string itself', () => {
    for (const entry of ['okta.users.read okta.groups.read', 'okta.users.read\tokta.groups.read']) {
      expect(refusal(() => checkScopes([entry]))).toBe(
        `INVALID_CONFIG: scopes has an entry holding several scopes, ${JSON.stringify(entry)}: give one scope per array entry, such as ["okta.users.read", "okta.groups.read"], or the whole list as one string separated by spaces.`,
      );
    }
  });

  it('refuses an array entry holding scopes separated by commas as several scopes, as the string form splits them', () => {
    expect(checkScopes('okta.users.read,okta.groups.read')).toEqual(['okta.users.read', 'okta.groups.read']);
    for (const entry of ['okta.users.read,okta.groups.read', 'okta.users.read, okta.groups.read']) {
      expect(refusal(() => checkScopes([entry]))).toBe(
        `INVALID_CONFIG: scopes has an entry holding several scopes, ${JSON.stringify(entry)}: give one scope per array entry, such as ["okta.users.read", "okta.groups.read"], or the whole list as one string separated by spaces.`,
      );
    }
  });

  it('refuses a comma at either end of an array entry as an invalid entry: no scope name holds a comma', () => {
    for (const entry of ['okta.users.read,', ',okta.users.read', ',']) {
      expect(refusal(() => checkScopes(['openid', entry]))).toBe(`INVALID_CONFIG: scopes has an invalid entry ${JSON.stringify(entry)}: scopes are single words such as "okta.users.read".`);
    }
  });

  it('refuses a scope with a space at its end as an invalid entry, not as several scopes', () => {
    expect(refusal(() => checkScopes(['okta.users.read ']))).toBe('INVALID_CONFIG: scopes has an invalid entry "okta.users.read ": scopes are single words such as "okta.users.read".');
  });

  it('refuses a backslash or a space inside an entry, quoting at most 60 characters of it', () => {
    expect(refusal(() => checkScopes(['a\\b']))).toMatch(/^INVALID_CONFIG: scopes has an invalid entry "a\\\\b"/);
    const long = `bad entry ${'okta.users.read.'.repeat(20)}`;
    const message = refusal(() => checkScopes([long]));
    expect(message).toContain(`has an entry holding several scopes, ${JSON.stringify(long).slice(0, 60)}: give one scope per array entry`);
    expect(message).not.toContain('okta.users.read.'.repeat(4));
  });
});

describe('checkDpopMode and checkDpop', () => {
  it("defaults to 'auto', and names the fix for true, false, another string and another type", () => {
    expect(checkDpopMode(undefined)).toBe('auto');
    expect(refusal(() => checkDpopMode(false))).toBe('INVALID_CONFIG: dpop is false: use "off".');
    expect(refusal(() => checkDpopMode('on'))).toBe('INVALID_CONFIG: dpop must be "required", "auto" or "off", not "on".');
    expect(refusal(() => checkDpopMode(1))).toBe('INVALID_CONFIG: dpop must be "required", "auto" or "off", not number.');
  });

  it('refuses dpop: null, legacy or not, as INVALID_CONFIG (never a TypeError)', () => {
    for (const legacy of [true, false]) expect(refusal(() => checkDpop({ dpop: null }, 'off', legacy))).toBe('INVALID_CONFIG: dpop must be "required", "auto" or "off", not object.');
  });

  it('lists the algorithms Okta accepts when dpopAlgorithm is another', () => {
    expect(refusal(() => checkDpopOptions({ dpopAlgorithm: 'HS256' }, 'auto'))).toBe('INVALID_CONFIG: dpopAlgorithm must be one of RS256, RS384, RS512, ES256, ES384, ES512.');
  });

  it('refuses a dpopKeyPair unless both halves are CryptoKeys', async () => {
    const { privateKey, publicKey } = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
    expect(checkDpopOptions({ dpopKeyPair: { privateKey, publicKey } }, 'auto').keyPair).toEqual({ privateKey, publicKey });
    for (const dpopKeyPair of [null, { privateKey, publicKey: {} }, { privateKey: {}, publicKey }, { privateKey }]) {
      expect(refusal(() => checkDpopOptions({ dpopKeyPair }, 'auto'))).toBe('INVALID_CONFIG: dpopKeyPair must be a WebCrypto CryptoKeyPair ({ privateKey, publicKey }).');
    }
  });
});

describe('checkTransport', () => {
  it('passes on no option left undefined', () => {
    expect(Object.keys(checkTransport({ timeoutMs: 5_000, fetch: undefined, logger: undefined }))).toEqual(['timeoutMs']);
  });

  it("lets what the caller's own options throw through as itself, not as INVALID_CONFIG quoting it", () => {
    const options = {
      get timeoutMs(): number {
        throw new RangeError('the options object broke');
      },
    };
    expect(refusal(() => checkTransport(options))).toBe('not ours: RangeError: the options object broke');
  });
});
