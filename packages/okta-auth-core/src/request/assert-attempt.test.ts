/**
 * `assertAttempt`, the one check of what a shipped credential's `authorize(attempt)` is given
 * (okta-ssws, okta-oauth): each part of an attempt that is wrong alone is refused in the
 * caller's words (or the package's `INVALID_CONFIG`), never the runtime's `TypeError`; a whole
 * attempt goes on to the origin check. The credentials' own tests run in their packages; this
 * one runs where the check is, so core's mutation run sees it.
 */
import { describe, expect, it } from 'vitest';
import { assertAttempt } from './origin-check.js';

const origin = 'https://acme.okta.com';
const url = new URL('/api/v1/users', origin);
const words = 'authorize(attempt) takes a request attempt { method, url: URL, signal?, call?, fetch? }.';
const refuse = (message: string) => new Error(`refused: ${message}`);

describe('assertAttempt', () => {
  it.each([
    ['no attempt', undefined],
    ['null', null],
    ['a string', 'GET /api/v1/users'],
    ['no method', { url }],
    ['a method that is no string', { method: 1, url }],
    ['a url as text', { method: 'GET', url: url.href }],
    ['a null url', { method: 'GET', url: null }],
    ['a signal that is no AbortSignal', { method: 'GET', url, signal: {} }],
    // It reaches log events (a token-store event's `call`): never a string a custom driver put there.
    ['a call that is no number', { method: 'GET', url, call: 'Bearer secret' }],
    // The client's transport (transport168): a credential calls it, so only a function.
    ['a fetch that is no function', { method: 'GET', url, fetch: 'https://proxy.example' }],
  ])('refuses %s in the caller\'s words', (_, attempt) => {
    expect(() => assertAttempt(attempt as never, origin, refuse)).toThrow(`refused: ${words}`);
  });

  it('refuses with INVALID_CONFIG when no words are given', () => {
    expect(() => assertAttempt(null as never, origin)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', message: words }));
  });

  it('lets a whole attempt through, with or without a signal, call or fetch, and checks its origin', () => {
    expect(() => assertAttempt({ method: 'GET', url }, origin, refuse)).not.toThrow();
    expect(() => assertAttempt({ method: 'GET', url, signal: new AbortController().signal }, origin, refuse)).not.toThrow();
    expect(() => assertAttempt({ method: 'GET', url, call: 7 }, origin, refuse)).not.toThrow();
    expect(() => assertAttempt({ method: 'GET', url, fetch }, origin, refuse)).not.toThrow();
    expect(() => assertAttempt({ method: 'GET', url: new URL('https://evil.example/api/v1/users') }, origin, refuse)).toThrow(expect.objectContaining({ code: 'ORIGIN_MISMATCH' }));
  });
});
