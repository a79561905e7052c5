/**
 * `loadBrowserDpopKeyPair` and `deleteBrowserDpopKeyPair` where they cannot work: Node.js has no
 * IndexedDB (the error names the server's way), options refused before IndexedDB is touched, and
 * an IndexedDB whose open never settles (another tab blocking it): bounded by `timeoutMs` and the
 * signal, the late connection closed. The browser itself: `browser-dpop-key.server.test.ts`.
 */
import { isOktaAuthError } from '@org/okta-auth-core';
import { failure } from '@org/okta-test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import { deleteBrowserDpopKeyPair, loadBrowserDpopKeyPair } from './browser-dpop-key.js';

afterEach(() => {
  vi.unstubAllGlobals();
});

/** An IndexedDB whose opens stay pending until `open()` (a `blocked` open, a browser that never answers). */
function pendingIndexedDb() {
  const opens: { onsuccess?: () => void; result?: { close(): void; onversionchange?: unknown }; closed: boolean }[] = [];
  vi.stubGlobal('indexedDB', {
    open: () => {
      const request = { closed: false } as (typeof opens)[number];
      request.result = {
        close: () => {
          request.closed = true;
        },
      };
      opens.push(request);
      return request;
    },
  });
  return opens;
}

describe('without IndexedDB (Node.js)', () => {
  it.each([
    ['loadBrowserDpopKeyPair', () => loadBrowserDpopKeyPair()],
    ['deleteBrowserDpopKeyPair', () => deleteBrowserDpopKeyPair({ name: 'app' })],
  ])('%s: INVALID_CONFIG naming importDpopKeyPair and the secret store', async (name, run) => {
    expect(globalThis).not.toHaveProperty('indexedDB');
    const error = await failure(run(), isOktaOAuthError);
    expect(error).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(new RegExp(`^${name}: this runtime has no IndexedDB.*secret store.*importDpopKeyPair`)) });
  });
});

describe('options', () => {
  it.each([
    [{ name: '' }, /name must be a non-empty string/],
    [{ name: 'n'.repeat(201) }, /name is 201 characters long; give one of at most 200/],
    [{ dpopAlgorithm: 'HS256' }, /dpopAlgorithm must be one of /],
    [{ timeoutMs: -1 }, /timeoutMs/],
    [{ signal: 'stop' }, /signal/],
    ['app', /takes an options object or nothing, not a string/],
  ])('%j: INVALID_CONFIG before IndexedDB is opened', async (options, message) => {
    const opens = pendingIndexedDb();
    const error = await failure(loadBrowserDpopKeyPair(options as never), isOktaOAuthError);
    expect(error).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(message) });
    expect(opens).toHaveLength(0);
  });
});

describe('an IndexedDB open that never settles', () => {
  it('is TIMEOUT after timeoutMs, and the connection that opens later is closed', async () => {
    const opens = pendingIndexedDb();
    const error = await failure(loadBrowserDpopKeyPair({ timeoutMs: 50 }), isOktaAuthError);
    expect(error).toMatchObject({ code: 'TIMEOUT', message: expect.stringMatching(/^loadBrowserDpopKeyPair's IndexedDB did not settle within 50 ms.*Close the other tabs/) });
    expect(opens).toHaveLength(1);
    opens[0]?.onsuccess?.();
    expect(opens[0]?.closed).toBe(true);
  });

  it("is ABORTED at the caller's signal", async () => {
    const opens = pendingIndexedDb();
    const controller = new AbortController();
    const deleting = deleteBrowserDpopKeyPair({ signal: controller.signal });
    expect(opens).toHaveLength(1);
    controller.abort();
    expect((await failure(deleting, isOktaAuthError)).code).toBe('ABORTED');
    opens[0]?.onsuccess?.();
    expect(opens[0]?.closed).toBe(true);
  });
});
