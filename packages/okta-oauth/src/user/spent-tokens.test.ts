import { sha256Base64url } from '@org/okta-auth-core/internal';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { hold, spentTokensKept, spentTokensOf } from './spent-tokens.js';
import { UserTokens } from './tokens.js';

/** Makes this page hold `refreshTokens` (each a credential's tokens), as `userTokenEntry` does. */
async function holding(...refreshTokens: string[]): Promise<void> {
  for (const refreshToken of refreshTokens) await hold(new UserTokens({ accessToken: 'an-access-token', tokenType: 'Bearer', refreshToken }));
}

/** Posts `messages` on `name` as another tab would, and resolves once a listener made after `spentTokensOf`'s has heard the last. */
async function post(name: string, ...messages: unknown[]): Promise<void> {
  const listener = new BroadcastChannel(name);
  const heard = new Promise<void>((resolve) => {
    let count = 0;
    listener.onmessage = () => {
      if (++count === messages.length) resolve();
    };
  });
  const sender = new BroadcastChannel(name);
  for (const message of messages) sender.postMessage(message);
  await heard;
  listener.close();
  sender.close();
}

describe('spentTokensOf', () => {
  // A page: only a browser tab's sessionStorage is copied.
  beforeEach(() => {
    vi.stubGlobal('document', {});
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('hears a token another tab spent by its SHA-256, and ignores a message that is none', async () => {
    const spent = spentTokensOf('spent-tokens-test-1');
    expect(spent).toBeDefined();
    expect(spentTokensOf('spent-tokens-test-1')).toBe(spent);
    const token = 'a-refresh-token-0123456789';
    await holding(token);
    await post('spent-tokens-test-1', token, { token }, `${await sha256Base64url(token)}x`, (await sha256Base64url(token)).slice(1));
    expect(await spent?.spent(token)).toBe(false);
    await post('spent-tokens-test-1', await sha256Base64url(token));
    expect(await spent?.spent(token)).toBe(true);
    // Messages that are no SHA-256 take no room: a flood of them does not push a spent token out.
    await post('spent-tokens-test-1', ...Array.from({ length: spentTokensKept }, (_, i) => `not a digest ${String(i)}`));
    expect(await spent?.spent(token)).toBe(true);
    expect(await spent?.spent('another-refresh-token-0123')).toBe(false);
  });

  // ra147: a same-origin page holding no token posted 100 well-formed SHA-256s, pushing out the one another tab had named, so a
  // copied tab spent its copy of the rotated refresh token again, and Okta revoked the family: both tabs signed out.
  it('remembers only names of tokens this page holds: a flood of other SHA-256s pushes none out', async () => {
    const spent = spentTokensOf('spent-tokens-test-7');
    const [token, other] = ['a-held-refresh-token-0123', 'a-token-this-page-never-held'];
    await holding(token);
    await post('spent-tokens-test-7', await sha256Base64url(token));
    const flood = await Promise.all(Array.from({ length: 2 * spentTokensKept }, (_, i) => sha256Base64url(`flood-${String(i)}`)));
    await post('spent-tokens-test-7', ...flood, await sha256Base64url(other));
    expect(await spent?.spent(token)).toBe(true);
    expect(await spent?.spent(other)).toBe(false);
  });

  it('remembers the last 100 a flood of messages names (docs/SECURITY.md, Bounds)', async () => {
    // The documented 100, not the constant: a test sized by `spentTokensKept` passes whatever it is.
    const spent = spentTokensOf('spent-tokens-test-2');
    const tokens = Array.from({ length: 101 }, (_, i) => `refresh-token-${String(i)}`);
    const names = await Promise.all(tokens.map((token) => sha256Base64url(token)));
    await holding(...tokens.slice(0, 100));
    await post('spent-tokens-test-2', ...names.slice(0, 100));
    await holding(tokens[100] ?? '');
    await post('spent-tokens-test-2', names[100]);
    expect(await spent?.spent(tokens[0] ?? '')).toBe(false);
    expect(await spent?.spent(tokens[1] ?? '')).toBe(true);
    expect(await spent?.spent(tokens[100] ?? '')).toBe(true);
  });

  // A tab over localStorage watches the token its renewal rotated from (tabwin137): a sign-out that read no renewal names only that one.
  it('calls what watches a token once another tab names it, at once when one did, and watches the last 100 (docs/SECURITY.md, Bounds)', async () => {
    const spent = spentTokensOf('spent-tokens-test-4');
    const ended: string[] = [];
    const tokens = Array.from({ length: 102 }, (_, i) => `watched-token-${String(i)}`);
    for (const token of tokens.slice(0, 101)) await spent?.watch(token, () => ended.push(token));
    const names = await Promise.all(tokens.map((token) => sha256Base64url(token)));
    await holding(...tokens.slice(0, 101));
    await post('spent-tokens-test-4', ...names.slice(0, 101), 'not a digest');
    // The first watched pushed out by the 100 after it; each called once, as it was named.
    expect(ended).toEqual(tokens.slice(1, 101));
    await post('spent-tokens-test-4', names[1]);
    expect(ended).toHaveLength(100);
    await holding(tokens[101] ?? '');
    await post('spent-tokens-test-4', names[101]);
    await spent?.watch(tokens[101] ?? '', () => ended.push('at once'));
    expect(ended.at(-1)).toBe('at once');
  });

  // Two credentials of one page (two sign-in clients over one storage key, or one made again after a hot reload while the old one
  // still watches) that renewed from the same token (Okta's grace period answers its reuse with the same renewal) both watch it.
  // Before (watch140), the second watch replaced the first: only one session ended when another tab named the token.
  it('calls every watch of one token when another tab names it, and keeps the last 100 watches overall, of one token or many', async () => {
    const spent = spentTokensOf('spent-tokens-test-5');
    const ended: number[] = [];
    const watches = Array.from({ length: 101 }, (_, i) => i);
    for (const i of watches) await spent?.watch('one-watched-token', () => ended.push(i));
    await holding('one-watched-token');
    await post('spent-tokens-test-5', await sha256Base64url('one-watched-token'));
    // The first pushed out by the 100 after it: a flood of watches of one token keeps memory flat too.
    expect(ended).toEqual(watches.slice(1));
    await post('spent-tokens-test-5', await sha256Base64url('one-watched-token'));
    expect(ended).toHaveLength(100);
  });

  it('says what this page spent to the other tabs as a SHA-256, never the token', async () => {
    const spent = spentTokensOf('spent-tokens-test-3');
    const listener = new BroadcastChannel('spent-tokens-test-3');
    const heard = new Promise<unknown>((resolve) => {
      listener.onmessage = (event: MessageEvent) => resolve(event.data);
    });
    await spent?.spend('a-spent-refresh-token-0123');
    expect(await heard).toBe(await sha256Base64url('a-spent-refresh-token-0123'));
    listener.close();
  });

  // held142: a page's channel does not hear its own posts, so a credential of the page that took another's tokens from a shared
  // storage (and watches them) was not ended when that session's end here named them.
  it("calls this page's own watches of what it spends, without counting it as spent by another tab", async () => {
    const spent = spentTokensOf('spent-tokens-test-6');
    const ended: string[] = [];
    await spent?.watch('a-taken-refresh-token-0123', () => ended.push('taken'));
    await spent?.watch('another-refresh-token-0123', () => ended.push('another'));
    await spent?.spend('a-taken-refresh-token-0123');
    expect(ended).toEqual(['taken']);
    expect(await spent?.spent('a-taken-refresh-token-0123')).toBe(false);
    // Called once: forgotten as called.
    await spent?.spend('a-taken-refresh-token-0123');
    expect(ended).toEqual(['taken']);
  });
});

describe('spentTokensOf outside a page', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  // Copies of sessionStorage are made of tabs only. Deno has sessionStorage, and with --unstable-broadcast-channel a
  // BroadcastChannel with no unref: an open one keeps the process from exiting. Where there is no page, none is made.
  it('makes no channel where there is no document (Deno, Node.js 25, a worker): nothing to tell, nothing kept alive', () => {
    const made: string[] = [];
    vi.stubGlobal('document', undefined);
    vi.stubGlobal(
      'BroadcastChannel',
      class {
        onmessage: unknown = null;
        constructor(name: string) {
          made.push(name);
        }
        postMessage(): void {}
      },
    );
    expect(spentTokensOf('spent-tokens-test-no-page')).toBeUndefined();
    expect(made).toEqual([]);
  });
});
