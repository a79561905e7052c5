import { failure } from '@org/okta-test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { isOktaAuthError, OktaAuthError } from '../errors/errors.js';
import { readEnvText, readRuntimeEnv } from './runtime.js';

// Deno's Deno.env as it behaves under `--allow-env=OKTA_CLIENT_ORGURL` (a scoped grant): get() reads a granted
// variable and throws NotCapable for any other; toObject() needs the whole environment and throws.
const variables: Record<string, string> = { OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_CLIENT_TOKEN: '00secret-token' };
const denoEnv = {
  get(name: string): string | undefined {
    if (name !== 'OKTA_CLIENT_ORGURL') throw Object.assign(new Error(`Requires env access to "${name}", run again with the --allow-env flag`), { name: 'NotCapable' });
    return variables[name];
  },
  toObject(): Record<string, string> {
    throw Object.assign(new Error('Requires env access, run again with the --allow-env flag'), { name: 'NotCapable' });
  },
};
const refuse = (message: string) => new OktaAuthError('INVALID_CONFIG', message);
const globals = globalThis as { Deno?: unknown };

afterEach(() => {
  delete globals.Deno;
});

describe("Deno's environment", () => {
  it('reads a variable per name, so a scoped --allow-env grant is enough (toObject needs them all)', () => {
    globals.Deno = { version: { deno: '2.9.6' }, env: denoEnv };
    expect(readEnvText(readRuntimeEnv(), 'OKTA_CLIENT_ORGURL', refuse)).toBe('https://acme.okta.com');
  });

  it("reads Deno.env itself passed as env (no plain object) the same way", () => {
    globals.Deno = { version: { deno: '2.9.6' }, env: denoEnv };
    expect(readEnvText(denoEnv, 'OKTA_CLIENT_ORGURL', refuse)).toBe('https://acme.okta.com');
  });

  it('refuses a variable Deno denies, naming it and the grant, never reporting it "not set" or its value', () => {
    globals.Deno = { version: { deno: '2.9.6' }, env: denoEnv };
    const error = failure.sync(() => readEnvText(readRuntimeEnv(), 'OKTA_CLIENT_TOKEN', refuse), isOktaAuthError);
    expect([error.code, error.envVariable]).toEqual(['INVALID_CONFIG', 'OKTA_CLIENT_TOKEN']);
    expect(error.message).toBe('Deno denied reading OKTA_CLIENT_TOKEN: run with --allow-env=OKTA_CLIENT_* (or name each variable read), or pass env, an object of the variables.');
    expect(error.message).not.toContain('00secret-token');
  });
});
