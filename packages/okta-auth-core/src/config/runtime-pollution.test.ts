import { describe, expect, it } from 'vitest';
import { OktaAuthError } from '../errors/errors.js';
import { readEnvText, readRuntimeEnv } from './runtime.js';
import { runtimeToken } from './runtime-globals.js';

// A prototype pollution on Node.js (ra152): `Deno`, `Bun` and `process` are read as globalThis's own properties only,
// so one that Object.prototype holds is none, and the runtime's environment is still process.env.
const refuse = (message: string) => new OktaAuthError('INVALID_CONFIG', message);
const prototype = Object.prototype as Record<string, unknown>;
const name = 'OKTA_CLIENT_ORGURL';
const before = process.env[name];

/** Runs `test` with OKTA_CLIENT_ORGURL set, and restores the prototype and the variable in `finally`. */
function polluted(test: () => void): void {
  process.env[name] = 'https://acme.okta.com';
  try {
    test();
  } finally {
    delete prototype.Deno;
    delete prototype.Bun;
    delete prototype.navigator;
    if (before === undefined) delete process.env.OKTA_CLIENT_ORGURL;
    else process.env[name] = before;
  }
}

describe('a polluted prototype on Node.js', () => {
  it('a data-only Deno (a JSON deep merge of "__proto__") leaves process.env the environment', () => {
    polluted(() => {
      const merge = (target: Record<string, unknown>, source: Record<string, unknown>): void => {
        for (const key of Object.keys(source)) {
          const value = source[key];
          if (typeof value === 'object' && value !== null) {
            if (typeof target[key] !== 'object') target[key] = {};
            merge(target[key] as Record<string, unknown>, value as Record<string, unknown>);
          } else target[key] = value;
        }
      };
      merge({}, JSON.parse('{"__proto__":{"Deno":{"env":{"x":1}}}}') as Record<string, unknown>);
      expect((globalThis as { Deno?: unknown }).Deno).toBeDefined();
      expect(readRuntimeEnv()).toBe(process.env);
      expect(readEnvText(readRuntimeEnv(), name, refuse)).toBe('https://acme.okta.com');
    });
  });

  it("a Deno.env with get on Object.prototype is never asked: process.env's org is read", () => {
    polluted(() => {
      const asked: string[] = [];
      prototype.Deno = { version: { deno: '9.9.9' }, env: { get: (variable: string) => (asked.push(variable), 'https://evil.okta.com') } };
      expect(readEnvText(readRuntimeEnv(), name, refuse)).toBe('https://acme.okta.com');
      expect(readEnvText(process.env, name, refuse)).toBe('https://acme.okta.com');
      expect(asked).toEqual([]);
    });
  });

  it('a polluted Deno or Bun does not change the runtime token', () => {
    polluted(() => {
      prototype.Deno = { version: { deno: '9.9.9' } };
      prototype.Bun = { version: '9.9.9' };
      expect(runtimeToken()).toBe(`node/${process.versions.node}`);
    });
  });

  it.runIf(!Object.hasOwn(globalThis, 'navigator'))("a polluted navigator (Node.js 20 has none) is not workerd's", () => {
    polluted(() => {
      prototype.navigator = { userAgent: 'Cloudflare-Workers' };
      expect(runtimeToken()).toBe(`node/${process.versions.node}`);
    });
  });
});
