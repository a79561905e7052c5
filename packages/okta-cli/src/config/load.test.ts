import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { failure } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { CliError } from '../exit-codes.js';
import { useSandbox } from '../test-helpers/cli.js';
import { loadConfig, readPrivateKey, scopesOf } from './load.js';

const temp = useSandbox();

const load = (env: Record<string, string> = {}, profile?: string) => loadConfig({ cwd: temp.box.cwd, env, profile });

describe('loadConfig', () => {
  it('infers the auth method from what is set, and keeps where each value came from', () => {
    temp.box.writeYaml('home', { client: { orgUrl: 'https://acme.okta.com', clientId: '0oa1' } });
    expect(load()).toMatchObject({ profile: 'default', mode: 'User', orgUrl: { source: join(temp.box.home, '.okta', 'okta.yaml') } });
    expect(load({ OKTA_CLIENT_PRIVATEKEY: 'key.pem' }).mode).toBe('PrivateKey');
    expect(load({ OKTA_CLIENT_CLIENTSECRET: 's' }).mode).toBe('ClientSecret');
    expect(load({ OKTA_CLIENT_TOKEN: 't', OKTA_CLIENT_AUTHORIZATIONMODE: 'privatekey' })).toMatchObject({ mode: 'PrivateKey', modeSource: 'authorizationMode in $OKTA_CLIENT_AUTHORIZATIONMODE' });
    expect(load({ OKTA_CLIENT_TOKEN: 't' })).toMatchObject({ mode: 'SSWS', raw: { token: { source: '$OKTA_CLIENT_TOKEN' } } });
  });

  it('scopes as a YAML list or a space/comma separated string', () => {
    temp.box.writeYaml('cwd', { client: { orgUrl: 'https://acme.okta.com', clientId: '0oa1', scopes: ['okta.users.read', 'okta.groups.read'] } });
    expect(scopesOf(load())).toEqual(['okta.users.read', 'okta.groups.read']);
    expect(scopesOf(load({ OKTA_CLIENT_SCOPES: 'a, b c' }))).toEqual(['a', 'b', 'c']);
  });

  it('a YAML error gives the file and position, never the line (which may hold a secret)', () => {
    mkdirSync(temp.box.cwd, { recursive: true });
    writeFileSync(join(temp.box.cwd, 'okta.yaml'), 'okta:\n  client:\n    token: "00abcSECRETvalue\n    orgUrl: [\n');
    const error = failure.sync(load, (e): e is Error => e instanceof Error);
    expect(error.message).toMatch(/okta\.yaml is not valid YAML \(line \d+, column \d+\)/);
    expect(error.message).not.toContain('SECRET');
  });

  it('bad settings: an unknown authorizationMode, nothing configured, a bad profile name', () => {
    expect(() => load({ OKTA_CLIENT_ORGURL: 'https://acme.okta.com' })).toThrow(/No credential configured/);
    expect(() => load({ OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_CLIENT_AUTHORIZATIONMODE: 'Magic' })).toThrow(/must be SSWS, PrivateKey, ClientSecret or User/);
    // Names of Object properties are no mode either (not an Object method taken for one).
    for (const mode of ['constructor', 'toString', '__proto__', 'valueOf']) {
      expect(() => load({ OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_CLIENT_AUTHORIZATIONMODE: mode })).toThrow(/must be SSWS, PrivateKey, ClientSecret or User/);
    }
    expect(() => load({}, '../etc')).toThrow(/may use only letters/);
  });

  it('a profile named like an Object property is looked up among the profiles only', () => {
    temp.box.writeYaml('home', { profiles: { work: { orgUrl: 'https://acme.okta.com', token: 't' } } });
    expect(load({}, 'work').mode).toBe('SSWS');
    for (const profile of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(() => load({}, profile)).toThrow(`No profile "${profile}"`);
    }
  });

  it('a credential in the wrong setting (orgUrl, authorizationMode) is never quoted', () => {
    const token = '00abcdefghijklmnopqrstuvwxyz0123456789ABCD';
    for (const env of [{ OKTA_CLIENT_ORGURL: token }, { OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_CLIENT_AUTHORIZATIONMODE: token }]) {
      const error = failure.sync(() => load(env), (e): e is Error => e instanceof Error);
      expect(error.message).toMatch(/No credential configured for the org URL in \$OKTA_CLIENT_ORGURL|must be SSWS/);
      expect(error.message).not.toContain(token.slice(0, 12));
    }
  });

  it('a private key: inline PEM with literal \\n, a file path, and a mangled key that is never echoed', () => {
    writeFileSync(join(temp.box.cwd, 'key.pem'), '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n');
    const withKey = (privateKey: string) => load({ OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_CLIENT_CLIENTID: '0oa1', OKTA_CLIENT_PRIVATEKEY: privateKey });
    expect(readPrivateKey(withKey('-----BEGIN PRIVATE KEY-----\\nabc\\n-----END PRIVATE KEY-----'), temp.box.cwd)).toBe('-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----');
    // A Windows .env file's literal \r\n, read as okta-oauth reads it (doctor hands the text to Node.js's crypto as well).
    expect(readPrivateKey(withKey('-----BEGIN PRIVATE KEY-----\\r\\nabc\\r\\n-----END PRIVATE KEY-----'), temp.box.cwd)).toBe('-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----');
    expect(readPrivateKey(withKey('key.pem'), temp.box.cwd)).toContain('abc');
    expect(() => readPrivateKey(withKey('missing.pem'), temp.box.cwd)).toThrow(/cannot be read: .*missing\.pem \(ENOENT\)/);
    const mangled = `MIIEvQIBADANBgkqhkiG9w0BAQEFAASC${'A'.repeat(1200)}`;
    const error = failure.sync(() => readPrivateKey(withKey(mangled), temp.box.cwd), (e): e is Error => e instanceof Error);
    expect(error.message).toMatch(/neither a PEM/);
    expect(error.message).not.toContain('MIIEv');
  });

  // journey120 had okta-oauth refuse an array of JWKs given as text ("a set of keys"); the CLI read one as a
  // file path and named that "file" in its error: a P-256 JWK's `d` in the message.
  it('an array of JWKs (a rotation\'s old and new keys) is the key itself, never a file path quoted with its d', () => {
    const d = 'Qm9ndXNQcml2YXRlU2NhbGFyMDEyMzQ1Njc4OWFiY2Q';
    const jwk = { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0', d };
    for (const keys of [[jwk], [jwk, { ...jwk, kid: 'new' }]]) {
      const config = load({ OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_CLIENT_CLIENTID: '0oa1', OKTA_CLIENT_PRIVATEKEY: JSON.stringify(keys) });
      expect(readPrivateKey(config, temp.box.cwd)).toBe(JSON.stringify(keys));
    }
  });

  it('an okta.yaml of 1 MiB is read, in either place; one byte more is a configuration error (exit 3) naming the file, never its content', () => {
    const token = '00sizeTokenSentinel0123456789abcdefghijklmn';
    const head = `okta:\n  client:\n    orgUrl: https://acme.okta.com\n    token: ${token}\n`;
    // The settings, then a comment line that brings the file to `size` bytes.
    const sized = (size: number) => `${head}#${'x'.repeat(size - head.length - 2)}\n`;
    const mib = 1024 * 1024;
    for (const folder of [join(temp.box.home, '.okta'), temp.box.cwd]) {
      mkdirSync(folder, { recursive: true });
      const path = join(folder, 'okta.yaml');
      writeFileSync(path, sized(mib), { mode: 0o600 });
      expect(load()).toMatchObject({ mode: 'SSWS', raw: { token: { value: token, source: path } } });
      writeFileSync(path, sized(mib + 1), { mode: 0o600 });
      const error = failure.sync(load, (e): e is CliError => e instanceof CliError);
      expect(error).toMatchObject({ exitCode: 3, message: `${path} (the okta.yaml of the Okta SDKs) is larger than 1 MiB: is it the right file?` });
      expect(error.cause).toBeUndefined();
      expect(error.message).not.toContain(token.slice(2, 20));
      rmSync(path);
    }
  });
});
