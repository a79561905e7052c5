/**
 * A secret in a ky option the runtime would quote (ra157): a header value it cannot send (a line break, a pair of three),
 * and a user name and password in a `baseUrl` or `prefix`. Through `createOktaKy`, in a call's options, an `extend`'s
 * object or what an `extend` function returns, and the base instance's `prefix`, each is `INVALID_CONFIG` quoting
 * nothing (the one header check, `invalidRequest`; the one URL check, `requestUrl`), nothing authorized or sent; not
 * the runtime's untyped `TypeError` quoting the header or the password. Over real HTTP on 127.0.0.1.
 */
import ky from 'ky';
import { describe, expect, it } from 'vitest';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { useScriptedServer } from '../test-helpers/scripted-server.js';
import { printed } from '../test-helpers/printed.js';
import { rejected, thrown } from '../test-helpers/outcome.js';
import { createOktaKy } from './create-okta-ky.js';

const okta = useScriptedServer();
const secret = 'SENTINELsecret0123456789abcdef';
const credential = () => countingCredential(okta.origin);

type Place = (options: Record<string, unknown>) => Promise<unknown>;
const places: [string, Place][] = [
  ["a call's", async (options) => createOktaKy({ credential: credential() }).get('api/v1/users', options)],
  ["a call's, without a method", async (options) => createOktaKy({ credential: credential() })('api/v1/users', options)],
  ["an extend's", async (options) => createOktaKy({ credential: credential() }).extend(options).get('api/v1/users')],
  ["an extend function's", async (options) => createOktaKy({ credential: credential() }).extend((parent) => ({ ...parent, ...options })).get('api/v1/users')],
];

const withUser = (): string => okta.origin.replace('://', `://admin:${secret}@`) + '/';
const rows: [string, () => Record<string, unknown>, string][] = [
  ['a header value with a line break', () => ({ headers: { 'X-Api-Key': `${secret}\nX-Injected: 1` } }), 'The request could not be built'],
  ['a header pair of three', () => ({ headers: [['X-Api-Key', secret, 'x']] }), 'The request could not be built'],
  ['a baseUrl with a user and password', () => ({ baseUrl: withUser() }), 'carries a user name or password'],
  ['a prefix with a user and password', () => ({ prefix: withUser() }), 'carries a user name or password'],
];

const quotesNothing = (error: unknown, message: string): void => {
  expect(error).toMatchObject({ code: 'INVALID_CONFIG' });
  expect((error as Error).message).toContain(message);
  for (const text of printed(error)) expect(text).not.toContain(secret);
};

describe('a secret in a ky option the runtime would quote: INVALID_CONFIG quoting nothing, nothing sent', () => {
  for (const [where, send] of places) {
    it.each(rows)(`${where} %s`, async (_, options, message) => {
      quotesNothing(await rejected(() => send(options())), message);
      expect(okta.requests).toHaveLength(0);
    });
  }

  it("the base instance's prefix with a user and password, when createOktaKy makes the instance", () => {
    quotesNothing(thrown(() => createOktaKy({ credential: credential(), ky: ky.create({ prefix: withUser() }) })), 'carries a user name or password');
    expect(okta.requests).toHaveLength(0);
  });

  it('still sends a prefix and a baseUrl of the org without a user, and an "@" in a path', async () => {
    for (const options of [{ prefix: 'api/v1' }, { baseUrl: `${okta.origin}/`, prefix: 'api/a@b' }]) {
      for (const [, send] of places) expect(await rejected(() => send(options))).toBeUndefined();
    }
    expect(okta.requests).toHaveLength(2 * places.length);
  });
});
