import { sha256Base64url } from '@org/okta-auth-core/internal';
import type { UserTokens } from './tokens.js';

/**
 * The refresh tokens this origin's tabs said they spent, for a credential over `sessionStorage`.
 * A tab opened from the app (`window.open` with an opener, "Duplicate tab") starts with a copy of
 * the opener's `sessionStorage`, so two tabs hold one refresh token, each with a lock of its own.
 * With rotation (a SPA's default), one tab's renewal spends it; the other's later renewal with
 * the copy is a reuse, and past Okta's grace period Okta revokes the whole family: both tabs are
 * signed out. So a tab that renews with rotation says which token it spent (its SHA-256, on a
 * `BroadcastChannel`: no token crosses it), and a tab holding that token ends its own session
 * (`LOGIN_REQUIRED`, sign in again) instead of spending it again. A message that is not a
 * SHA-256 of a token this page holds ({@link hold}) is ignored: naming a token takes the token itself (a same-origin page
 * without it cannot sign another tab out), and a flood of other names pushes none out (ra147). Over `sessionStorage` the
 * credential ends at once ({@link SpentTokens.hear}), its storage too: a reload restores nothing.
 * @internal
 */
export interface SpentTokens {
  /** Tells the other tabs that `token` was spent (its renewal rotated it, or its session ended: signed out, refused), and calls this page's watches of it (never adds it to what {@link spent} reads: a page's own renewals are its own). */
  spend(token: string): Promise<void>;
  /** Whether another tab said it spent `token` (`false` for none). */
  spent(token: string | undefined): Promise<boolean>;
  /**
   * Calls `end` when another tab names `token` (at once when one did), or this page's {@link spend} does: a tab over `localStorage` watches the token its renewal
   * rotated from (`endRotatedFrom`, renewal-end.ts), and the tokens it took from storage (`watchingTaken`). Every watch of `token` is called (two credentials of the page may watch one). The last
   * {@link spentTokensKept} watches per channel are kept, of one token or many: one whose session ended otherwise does nothing, pushed out by later ones.
   */
  watch(token: string, end: () => void): Promise<void>;
  /** Calls `hearer` each time another tab names a token this page holds (a credential over `sessionStorage`: it checks its own); the last {@link spentTokensKept} kept. */
  hear(hearer: () => unknown): void;
}

/**
 * The `LOGIN_REQUIRED` message of a session another tab or frame of this browser ended: signed out, or renewed
 * first from a copy of this tab's `sessionStorage`. @internal
 */
export const endedBeside = 'Another tab signed out, or renewed first: sign in again.';

/** How many spent tokens a page remembers per channel, and how many it watches: a page renews about once an hour; a flood of messages keeps memory flat. @internal */
export const spentTokensKept = 100;

/** Forgets the oldest of `kept` past {@link spentTokensKept}. */
const bound = (kept: Set<unknown> | Map<unknown, unknown>) => kept.size > spentTokensKept && kept.delete(kept.keys().next().value);

const channels = new Map<string, SpentTokens>();
/** The SHA-256s of the last {@link spentTokensKept} tokens this page's credentials held ({@link namedBy}): the only names a channel remembers. */
const held = new Set<string>();

/**
 * Remembers that a credential of this page holds `tokens` (`userTokenEntry`: restored, signed in, renewed, read from storage), in a page
 * with a channel: a message naming them is heard, no other. @internal
 * @example
 * ```ts
 * declare const tokens: UserTokens;
 * await hold(tokens);
 * ```
 * @see https://developer.mozilla.org/en-US/docs/Web/API/BroadcastChannel
 */
export const hold = async (tokens: UserTokens): Promise<unknown> => channels.size > 0 && bound(held.add(await sha256Base64url(namedBy(tokens))));

/**
 * The page's one `SpentTokens` of `name` (the org, client and storage key's channel), or none where there is
 * no `BroadcastChannel` or no page (`document`): only a browser copies a tab's `sessionStorage`, and Deno, which
 * has `sessionStorage`, has a channel with no `unref` (`--unstable-broadcast-channel`) that would keep it running.
 * @internal
 */
export function spentTokensOf(name: string): SpentTokens | undefined {
  const Channel = (globalThis as { BroadcastChannel?: typeof BroadcastChannel }).BroadcastChannel;
  if (Channel === undefined || (globalThis as { document?: unknown }).document === undefined) return undefined;
  let made = channels.get(name);
  if (made !== undefined) return made;
  const heard = new Set<string>();
  // Keyed by what a watch calls (a closure of its own per renewal), not by the name: a second watch of one token never replaces the first (watch140).
  const watched = new Map<() => void, string>();
  const hearers = new Set<() => unknown>();
  const channel = new Channel(name);
  // A runtime whose channel keeps the process alive (Node.js with a DOM shim): not this one.
  (channel as { unref?: () => void }).unref?.();
  /** Calls and forgets every watch of `name`. */
  const ends = (name: string) => {
    for (const [end, named] of watched) {
      if (named !== name) continue;
      watched.delete(end);
      end();
    }
  };
  // Only the name of a token this page holds (ra147: a flood of others pushed the real one out).
  channel.onmessage = ({ data: name }: MessageEvent<string>) => {
    if (held.has(name)) {
      bound(heard.add(name));
      ends(name);
      for (const hearer of hearers) void hearer();
    }
  };
  made = {
    spend: async (token) => {
      const named = await sha256Base64url(token);
      channel.postMessage(named);
      // The page's own watches too (its channel does not hear its own posts): another credential of the page holding these tokens, taken from a shared storage.
      ends(named);
    },
    spent: async (token) => token !== undefined && heard.size > 0 && heard.has(await sha256Base64url(token)),
    watch: async (token, end) => {
      const named = await sha256Base64url(token);
      if (heard.has(named)) end();
      else bound(watched.set(end, named));
    },
    hear: (hearer) => void bound(hearers.add(hearer)),
  };
  channels.set(name, made);
  return made;
}

/**
 * The token that names a session on the channel: its refresh token, else (no `offline_access`) its
 * access token, whose SHA-256 is no more a secret than a DPoP proof's `ath` (RFC 9449 §4.2). @internal
 */
export const namedBy = (tokens: UserTokens): string => (tokens.refreshToken ?? tokens.accessToken).reveal();
