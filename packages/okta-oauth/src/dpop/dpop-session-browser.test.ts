/**
 * A DPoP session made in a browser sends no `x-okta-user-agent-extended: isDPoP:true`: there, core
 * carries the User-Agent in that header (a page cannot set `User-Agent`), and a header outside
 * Okta's CORS allow-list would fail the preflight. Node.js sends it, as Okta's Go and Python SDKs do.
 * Core's `runtimeToken()` calls a runtime without `process`, Deno or Bun a browser.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DpopSession } from './dpop-session.js';

const origin = 'https://acme.okta.com';

/** A session made while the runtime looks like a browser (no `process`), then Node.js again. */
function browserSession(): DpopSession {
  vi.stubGlobal('process', undefined);
  try {
    return new DpopSession(origin);
  } finally {
    vi.unstubAllGlobals();
  }
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("Okta's DPoP header by runtime", () => {
  it('leaves it out of a resource attempt and a token request in a browser', async () => {
    const session = browserSession();
    const headers = await session.authorize({ method: 'GET', url: new URL('/api/v1/users', origin), signal: new AbortController().signal }, 'the-access-token', 7);
    expect(Object.keys(headers).sort()).toEqual(['authorization', 'dpop']);
    const token = new Headers();
    await session.prove(token, new URL('/oauth2/v1/token', origin), 7, {});
    expect(token.get('dpop')).toMatch(/^ey/);
    expect(token.get('x-okta-user-agent-extended')).toBeNull();
  });

  it('sends it on Node.js', async () => {
    const headers = await new DpopSession(origin).authorize({ method: 'GET', url: new URL('/api/v1/users', origin), signal: new AbortController().signal }, 'the-access-token', 7);
    expect(headers['x-okta-user-agent-extended']).toBe('isDPoP:true');
  });
});
