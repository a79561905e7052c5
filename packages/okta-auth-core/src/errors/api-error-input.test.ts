/**
 * `OktaApiError.fromResponse` and `OktaApiError.fromParts` are public helpers for code that builds
 * errors itself: what a JavaScript caller (no types) can get wrong is `INVALID_CONFIG` naming the
 * argument (docs/CONVENTIONS.md, "Code"), never the runtime's `TypeError`, nor an error its own
 * guard does not recognize (a `status` that is no number).
 */
import { describe, expect, it } from 'vitest';
import { OktaApiError, isOktaApiError } from './api-error.js';
import { rejected, told } from '../test-helpers/outcome.js';

const url = new URL('https://acme.okta.com/api/v1/users');
const context = { method: 'GET', url };
const parts = { status: 404, statusText: 'Not Found', headers: new Headers(), bodyText: '{"errorCode":"E0000007"}' };

/** `ok`, or our typed error's code and message, or `not ours: …` for anything else thrown. */
async function outcome(run: () => unknown): Promise<string> {
  let value: unknown;
  const error = await rejected(async () => {
    value = await run();
  });
  return error !== undefined ? told(error) : isOktaApiError(value) ? 'ok' : `not an OktaApiError: ${String(value)}`;
}

const badContexts: [string, unknown][] = [
  ['null', null],
  ['a string', 'GET /api/v1/users'],
  ['no url', { method: 'GET' }],
  ['a url that is a string', { method: 'GET', url: url.href }],
  ['no method', { url }],
  ['a url object without a pathname', { method: 'GET', url: { href: url.href } }],
  ['secrets that are a number', { ...context, secrets: 5 }],
  ['secrets that are an object but no list', { ...context, secrets: { token: 'x' } }],
  ['secrets that hold a number', { ...context, secrets: [5] }],
  ['explain that is a string', { ...context, explain: 'why' }],
];

describe('OktaApiError.fromParts given what is not an answer', () => {
  const bad: [string, unknown][] = [
    ['null', null],
    ['nothing', undefined],
    ['a string', '404 Not Found'],
    ['a status that is a string', { ...parts, status: '404' }],
    ['no statusText', { ...parts, statusText: undefined }],
    ['headers that are a plain object', { ...parts, headers: { 'content-type': 'application/json' } }],
    ['no bodyText', { ...parts, bodyText: undefined }],
    ['a bodyText that is an object', { ...parts, bodyText: { errorCode: 'E0000007' } }],
  ];
  it.each(bad)('parts: %s is INVALID_CONFIG naming parts', async (_, value) => {
    expect(await outcome(() => OktaApiError.fromParts(value as never, context))).toBe(
      'INVALID_CONFIG: OktaApiError.fromParts(parts, context) takes parts { status: number, statusText, headers: Headers, bodyText }.',
    );
  });
  it.each(badContexts)('context: %s is INVALID_CONFIG naming context', async (_, value) => {
    expect(await outcome(() => OktaApiError.fromParts(parts, value as never))).toBe(
      'INVALID_CONFIG: OktaApiError.fromParts(parts, context) takes a context { method, url: URL, secrets?, explain? }.',
    );
  });
  it('still builds the error from parts as before', async () => {
    expect(await outcome(() => OktaApiError.fromParts(parts, { ...context, secrets: new Set(['x']), explain: () => undefined }))).toBe('ok');
    // Optional fields given null are none, as before (a JavaScript caller's null).
    expect(await outcome(() => OktaApiError.fromParts(parts, { ...context, secrets: null, explain: null } as never))).toBe('ok');
  });
});

describe('OktaApiError.fromResponse given what is not a response', () => {
  const answer = () => new Response('{"errorCode":"E0000007"}', { status: 404 });
  it.each([
    ['null', null],
    ['nothing', undefined],
    ['a string', '404'],
    ['a plain object', { status: 404 }],
    ['a status that is a string', { status: '404', headers: new Headers() }],
  ] as [string, unknown][])('response: %s is INVALID_CONFIG naming response', async (_, value) => {
    expect(await outcome(() => OktaApiError.fromResponse(value as never, context))).toBe('INVALID_CONFIG: OktaApiError.fromResponse(response, context) takes a Response first.');
  });
  it.each(badContexts)('context: %s is INVALID_CONFIG naming context, the body not read', async (_, value) => {
    const response = answer();
    expect(await outcome(() => OktaApiError.fromResponse(response, value as never))).toBe(
      'INVALID_CONFIG: OktaApiError.fromResponse(response, context) takes a context { method, url: URL, secrets?, explain? }.',
    );
    expect(response.bodyUsed).toBe(false);
  });
  it('still reads a response as before', async () => {
    expect(await outcome(() => OktaApiError.fromResponse(answer(), context))).toBe('ok');
  });
});
