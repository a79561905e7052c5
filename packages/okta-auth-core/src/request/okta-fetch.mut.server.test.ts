/**
 * What the fetch driver decides before its first attempt (mutation testing, thirtieth round): the
 * credential check, the call's headers and body read once, which calls go out as `fetch(url, init)`
 * and which as a `Request` of ours, and the content type a string body gets, over real HTTP.
 */
import { failure, json } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { isOktaAuthError } from '../errors/errors.js';
import { createOktaFetch } from './okta-fetch.js';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { useScriptedServer } from '../test-helpers/scripted-server.js';

const okta = useScriptedServer((req, res) => {
  json(res, 200, { type: req.headers['content-type'] ?? null, body: req.body });
});

/** The content type and body the server received for one call. */
async function received(input: string | Request, init?: RequestInit): Promise<{ type: string | null; body: string }> {
  return (await (await createOktaFetch({ credential: countingCredential(okta.origin) })(input, init)).json()) as { type: string | null; body: string };
}

describe('createOktaFetch without a credential', () => {
  it.each([
    ['no options', undefined],
    ['no credential', {}],
    ['an API token in its place', { credential: '00sentinel-token-0123456789abcdefghijklmnopq' }],
    ['an object without authorize', { credential: { origin: 'https://acme.okta.com' } }],
  ])('%s: INVALID_CONFIG naming the fix, never quoting what was given', (_kind, options) => {
    let thrown: unknown;
    try {
      createOktaFetch(options as never);
    } catch (error) {
      thrown = error;
    }
    expect(isOktaAuthError(thrown) && [thrown.code, thrown.message]).toEqual(['INVALID_CONFIG', 'createOktaFetch needs a credential, such as createSswsCredential(…) from @org/okta-ssws.']);
  });
});

describe('a call the runtime cannot build', () => {
  it.each<[string, RequestInit]>([
    ['a header name with a space', { headers: { 'x bad': '1' } }],
    ['a stream body without duplex', { method: 'POST', body: new Blob(['s']).stream() }],
    ['a stream body on a GET', { method: 'GET', body: new Blob(['s']).stream(), duplex: 'half' } as RequestInit],
  ])('%s: INVALID_CONFIG, not the runtime TypeError; nothing sent', async (_kind, init) => {
    const error: unknown = await failure(createOktaFetch({ credential: countingCredential(okta.origin) })('/api/v1/users', init));
    expect(isOktaAuthError(error) && error.code).toBe('INVALID_CONFIG');
    expect((error as Error).message).toMatch(/^The request could not be built: .* Nothing was sent\.$/);
    expect(okta.requests).toHaveLength(0);
  });

  it('a URL refused with a body read once (copied into a Request of ours) keeps its own refusal, not the generic one', async () => {
    const withUser = new URL('/api/v1/users', okta.origin);
    withUser.username = 'someone';
    const error: unknown = await failure(createOktaFetch({ credential: countingCredential(okta.origin) })(withUser, { method: 'POST', body: new Blob(['s']).stream(), duplex: 'half' } as RequestInit));
    expect(isOktaAuthError(error) && [error.code, error.message]).toEqual([
      'INVALID_CONFIG',
      'The URL passed to the Okta fetch carries a user name or password: remove them (the credential authorizes every request).',
    ]);
    expect(okta.requests).toHaveLength(0);
  });
});

describe('the warm path', () => {
  it.each<[string, RequestInit]>([
    ['a string', { method: 'POST', body: '{"a":1}' }],
    ['a form', { method: 'POST', body: new URLSearchParams({ a: '1' }) }],
    ['no body', {}],
  ])('a call with %s goes to an injected fetch as fetch(url, init), no Request of ours', async (_kind, init) => {
    const inputs: unknown[] = [];
    const okta$ = createOktaFetch({
      credential: countingCredential(okta.origin),
      fetch: (input, given) => {
        inputs.push(input);
        return fetch(input, given);
      },
    });
    await (await okta$('/api/v1/users', init)).json();
    expect(inputs).toHaveLength(1);
    expect(inputs[0]).toBeInstanceOf(URL);
  });
});

describe('the content type of a body', () => {
  it('a string without a content type is JSON, given with a path or with a Request of the caller without one', async () => {
    expect(await received('/api/v1/users', { method: 'POST', body: '{"a":1}' })).toEqual({ type: 'application/json', body: '{"a":1}' });
    expect(await received(new Request(`${okta.origin}/api/v1/users`, { method: 'POST' }), { method: 'POST', body: '{"a":1}' })).toEqual({ type: 'application/json', body: '{"a":1}' });
  });

  it("a string keeps the content type it was given: the call's header, or the caller's Request's (fetch keeps it when the call gives no headers)", async () => {
    expect(await received('/api/v1/users', { method: 'POST', body: 'a b', headers: { 'content-type': 'text/plain' } })).toEqual({ type: 'text/plain', body: 'a b' });
    const mine = new Request(`${okta.origin}/api/v1/users`, { method: 'POST', headers: { 'content-type': 'text/plain' } });
    expect(await received(mine, { method: 'POST', body: 'a b' })).toEqual({ type: 'text/plain', body: 'a b' });
    // The call's headers replace the Request's, as fetch does: a string under headers without a content type is JSON again.
    expect((await received(mine, { method: 'POST', body: '{}', headers: { accept: 'application/json' } })).type).toBe('application/json');
  });

  it("a form, a stream or a Blob is never made JSON, with the call's own headers or without", async () => {
    const headers = { 'x-trace': '1' };
    expect((await received('/api/v1/users', { method: 'POST', body: new URLSearchParams({ a: '1' }), headers })).type).toMatch(/^application\/x-www-form-urlencoded/);
    expect(await received('/api/v1/users', { method: 'POST', body: new Blob(['s']).stream(), duplex: 'half', headers } as RequestInit)).toEqual({ type: null, body: 's' });
    expect(await received('/api/v1/users', { method: 'POST', body: new Blob(['s']).stream(), duplex: 'half' } as RequestInit)).toEqual({ type: null, body: 's' });
    expect(await received('/api/v1/users', { method: 'POST', body: new Blob(['b']), headers })).toEqual({ type: null, body: 'b' });
  });
});
