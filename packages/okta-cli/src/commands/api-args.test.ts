/**
 * `--follow`'s wait after an empty System Log page (docs/SECURITY.md, Bounds; the README's `api … --follow`):
 * 60 s without `--interval`, whole seconds from 1 to 86,400 with it. The refusals over the command line
 * are in `follow.server.test.ts`; this reads `checkApiArgs`, which `main.ts` calls before any configuration.
 */
import { describe, expect, it } from 'vitest';
import { checkApiArgs } from './api.js';

const follow = (interval?: string) => checkApiArgs(['GET', '/api/v1/logs'], { paginate: false, ndjson: false, follow: true, interval }).follow;

describe("api --follow's interval", () => {
  it('is 60 s without --interval, and takes 1 and 86,400 s', () => {
    expect(follow()).toEqual({ intervalSeconds: 60 });
    expect(follow('1')).toEqual({ intervalSeconds: 1 });
    expect(follow('86400')).toEqual({ intervalSeconds: 86_400 });
  });

  it('refuses 0 and 86,401 s as a usage error (exit 2)', () => {
    for (const interval of ['0', '86401']) {
      expect(() => follow(interval)).toThrow(expect.objectContaining({ exitCode: 2, message: `--interval is the wait after an empty page in whole seconds, from 1 to 86400; got "${interval}".` }));
    }
  });
});

const method = (raw: string) => checkApiArgs([raw, '/api/v1/users'], { paginate: false, ndjson: false }).method;

describe("api's method", () => {
  it('takes a lower-case method and sends it upper-cased', () => {
    expect(method('patch')).toBe('PATCH');
    expect(method('Get')).toBe('GET');
  });

  // Core's rule (an ASCII token): U+017F (long s) upper-cases to S, U+0131 (dotless i) to I; the CLI
  // sent `poſt` as POST and `optıons` as OPTIONS, a method the user never typed.
  it.each(['po\u017Ft', 'opt\u0131ons', 'de lete'])('refuses %j as a usage error (exit 2), never upper-cased into a method', (raw) => {
    expect(() => method(raw)).toThrow(expect.objectContaining({ exitCode: 2 }));
  });
});
