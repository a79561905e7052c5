import { UserTokens, type DevicePollWait, type NotRevoked, type SignInClient, type SignInResult } from '@org/okta-oauth';
import { openBrowser } from '../browser.js';
import type { CliConfig } from '../config/load.js';
import { userApps, userSignIn, type CliContext } from '../credential.js';
import { hasDpopKey, removeUnusedDpopKey } from '../dpop-key.js';
import { CliError, configError, exitCodeOf } from '../exit-codes.js';
import { plain, say, shown, type Io } from '../io.js';
import { LockLeftError } from '../file-lock.js';
import type { TokenFile } from '../token-file.js';
import { inCliWords } from '../transport-flags.js';

/** What a profile needs for each way of signing a person in, said when it is not a person's sign-in. */
const userSetup = {
  device: `the clientId of ${userApps.device}`,
  signedIn: `the clientId of ${userApps.signedIn}`,
  browser: 'the clientId of an OIDC native app with the Authorization Code grant, and redirectUri: a loopback redirect URI among its Sign-in redirect URIs, such as http://127.0.0.1:8765/callback',
} as const;

/** Refuses a profile that is not a person's sign-in (exit 3), advising the app the command's sign-in needs (`device` unless said). */
export function requireUserMode(config: CliConfig, command: string, app: keyof typeof userApps = 'device'): void {
  if (config.mode !== 'User') {
    throw configError(
      `${command} is for a person's sign-in, but profile "${config.profile}" uses authorizationMode ${config.mode} (${config.modeSource}). Set authorizationMode: User and ${userSetup[app]}.`,
    );
  }
}

/** Waits for Enter on a terminal, then opens the browser; resolves nothing, never blocks the sign-in. */
function offerBrowser(url: string, ctx: CliContext, io: Io, signal: AbortSignal): void {
  if (io.stdin.isTTY !== true || io.stderr.isTTY !== true) return;
  say(io, 'Press Enter to open it in your browser (or open it yourself on any device).');
  const onData = (chunk: Buffer): void => {
    if (!chunk.includes(0x0d) && !chunk.includes(0x0a)) return;
    stop();
    say(io, openBrowser(url, ctx.env) ? 'Opened the browser.' : 'No browser could be opened here: open the URL yourself.');
  };
  const stop = (): void => {
    io.stdin.off('data', onData);
    io.stdin.pause();
  };
  io.stdin.on('data', onData);
  io.stdin.resume();
  signal.addEventListener('abort', stop, { once: true });
}

/** "the refresh token and the access token": the tokens a sign-out did not revoke. */
function tokenNames(notRevoked: readonly NotRevoked[], article: string): string {
  return notRevoked.map(({ token }) => `${article}${token.replace('_', ' ')}`).join(' and ');
}

/**
 * Revokes the tokens a new sign-in replaced (RFC 7009), which no one holds any more: best effort,
 * each revocation one attempt within the request's `timeoutMs`. What Okta did not revoke is said,
 * and the login stands.
 */
async function revokeReplaced(client: SignInClient, replaced: string, io: Io): Promise<void> {
  let notRevoked: readonly NotRevoked[];
  try {
    ({ notRevoked } = await client.signOut(UserTokens.fromStorable(replaced)));
  } catch (error) {
    // Unreadable, or naming another org or client (an edited file): nothing this client sends.
    say(io, plain(`The previous sign-in's tokens were not revoked: ${inCliWords(error)}`));
    return;
  }
  const [first] = notRevoked;
  // The library's message, printed whole as an error is (plain).
  say(io, first === undefined
    ? "The previous sign-in's tokens were revoked at Okta."
    : plain(`Okta did not revoke the previous sign-in's ${tokenNames(notRevoked, '')} (${inCliWords(first.error)}): they stay valid at Okta until they expire.`));
}

/**
 * Stores a finished sign-in (device or browser: the one path) in the profile's token file through
 * its credential, says who signed in, and revokes the tokens it replaced there.
 */
export async function keepSignIn(result: SignInResult, signIn: { client: SignInClient; storage: TokenFile; storageKey: string }, io: Io): Promise<void> {
  const { client, storage, storageKey } = signIn;
  // The credential writes the tokens to storage now, and again after every refresh. Its first write
  // reads what it replaces under the file's lock: a sign-in another okta-auth stored meanwhile
  // (while this one waited for the lock) is the one revoked, never left valid and held by no one.
  // A first write whose lock could not be removed after it (LockLeftError) stored the tokens: what it
  // replaced is revoked as on the normal path, then the login fails naming the lock to delete.
  let replaced: string | undefined;
  let lockLeft: LockLeftError | undefined;
  let first = true;
  const writer: TokenFile = {
    ...storage,
    set(key, value) {
      let was: string | undefined;
      try {
        was = storage.swap(key, value);
      } catch (error) {
        if (!(first && key === storageKey && error instanceof LockLeftError)) throw error;
        lockLeft = error;
        was = error.result as string | undefined;
      }
      if (!first || key !== storageKey) return;
      first = false;
      replaced = was;
    },
  };
  const credential = client.credential(result, { storage: writer, storageKey });
  await credential.getAccessToken();
  const who = result.claims?.preferred_username ?? result.claims?.sub;
  say(io, `Signed in${who === undefined ? '' : ` as ${shown(who)}`} to ${client.origin} (tokens in ${storage.path}, readable only by you).`);
  if (typeof replaced === 'string') await revokeReplaced(client, replaced, io);
  if (lockLeft !== undefined) throw lockLeft;
}

/**
 * One line on stderr for a device poll's wait that is not the routine interval (RFC 8628 §3.5):
 * a `slow_down`, a 429 past the retries or an unreachable token endpoint may hold the next check for
 * up to 600 s, and a silent terminal looks hung. Only the error's code (and HTTP status) is said:
 * okta-auth's words, nothing of the answer's.
 */
function sayWait(io: Io, { reason, waitMs, error }: DevicePollWait): void {
  const next = `${Math.ceil(waitMs / 1000)} s`;
  if (reason === 'slow_down') say(io, `okta-auth: Okta asked to poll more slowly; next check in ${next}.`);
  if (reason === 'rate_limited') say(io, `okta-auth: rate limited by Okta; next check in ${next}.`);
  if (reason === 'unreachable') {
    const status = (error as { status?: unknown } | undefined)?.status;
    say(io, `okta-auth: cannot reach Okta (${error?.code ?? 'no answer'}${typeof status === 'number' ? `, HTTP ${status}` : ''}); retrying in ${next}.`);
  }
}

/**
 * `okta-auth login`: device sign-in; the tokens go to the profile's 0600 token file, and the
 * tokens they replace there are revoked.
 */
export async function runLogin(config: CliConfig, ctx: CliContext, io: Io, options: { noBrowser: boolean }): Promise<void> {
  requireUserMode(config, 'login');
  const { client, storage, storageKey } = await userSignIn(config, ctx);
  // Read once before the sign-in starts: a token file that cannot be used (a link, a folder, over 256 KiB, open to
  // others and not narrowable) fails now, not once the user approved, with tokens live at Okta that no file holds.
  await storage.get(storageKey);
  const device = await client.startDeviceSignIn();
  const url = device.verificationUriComplete ?? device.verificationUri;
  say(io, `To sign in to ${client.origin}, open:\n\n  ${url}\n\nand check that it shows the code ${device.userCode}`);
  const done = new AbortController();
  try {
    if (!options.noBrowser) offerBrowser(url, ctx, io, done.signal);
    say(io, 'Waiting for you to approve the sign-in…');
    await keepSignIn(await device.poll({ onWait: (wait) => { sayWait(io, wait); } }), { client, storage, storageKey }, io);
  } finally {
    done.abort();
  }
}

/** What is left to do about tokens Okta did not revoke that are no longer in the token file (help.okta.com, "Configure Universal Logout"). */
const adminRevokes = 'an Okta admin can revoke them sooner (Admin Console › Directory › People › the person › More Actions › Clear user sessions, which signs the person out everywhere)';

/**
 * `okta-auth logout`: revokes the refresh and access tokens at Okta and deletes them locally, and
 * the DPoP key if no tokens are left (another okta-auth's `login` may have stored new ones). Tokens
 * Okta did not revoke (no answer, an error) are kept, and the command fails, to be run again.
 */
export async function runLogout(config: CliConfig, ctx: CliContext, io: Io): Promise<void> {
  requireUserMode(config, 'logout', 'signedIn');
  const signIn = await userSignIn(config, ctx, { app: 'signedIn' });
  let { client, storage, storageKey } = signIn;
  let credential = await client.restoreCredential({ storage, storageKey });
  // DPoP-bound tokens restore only with DPoP: a sign-in made with dpop: true (OKTA_CLIENT_DPOP in
  // another shell, a setting since removed) is revoked with the key the file keeps, never left live.
  if (credential === undefined && !signIn.dpop && (await hasDpopKey(storage))) {
    ({ client, storage, storageKey } = await userSignIn(config, ctx, { dpop: true, app: 'signedIn' }));
    credential = await client.restoreCredential({ storage, storageKey });
  }
  // Tokens of a DPoP key that cannot be read (a new one was made) are not restored: still revoked, as a revocation needs no proof.
  const unbound = credential === undefined && signIn.newKey ? await storage.get(storageKey) : null;
  if (typeof unbound === 'string') credential = client.credential(UserTokens.fromStorable(unbound), { storage, storageKey });
  if (credential === undefined) {
    removeUnusedDpopKey(storage);
    say(io, `Not signed in to ${client.origin}: nothing to revoke.`);
    return;
  }
  // The sign-out ends the local session first, then revokes, and reports what Okta did not revoke.
  const stored = await storage.get(storageKey);
  const { notRevoked } = await credential.signOut();
  // Okta does not revoke that kind of token (RFC 7009 §2.2.1): another try would not either.
  const live = notRevoked.filter(({ error }) => (error as { error?: unknown }).error !== 'unsupported_token_type');
  const [first] = live;
  if (first !== undefined) {
    // Still valid at Okta: put back for another logout, unless another okta-auth's login wrote a sign-in meanwhile
    // (or its logout took them before they were read here): then they are not kept, and the message says so.
    // A file that cannot be written (its lock held past the wait, a folder made read-only) keeps nothing either: said, not
    // thrown for the lock alone, whose "try again" would find nothing to revoke while the tokens stay valid at Okta.
    // Put back, but its lock left (it could not be removed): kept, and the lock named, to be deleted before the next run.
    let unwritten: string | undefined;
    let lockLeft: string | undefined;
    let kept = false;
    try {
      kept =
        typeof stored === 'string' &&
        storage.update((entries) => {
          if (entries[storageKey] !== undefined) return false;
          entries[storageKey] = stored;
          return true;
        }, 'okta-auth logout run again once it has ended will not find them');
    } catch (error) {
      if (error instanceof LockLeftError) {
        kept = error.result === true;
        lockLeft = error.message.replace(/\.$/, '');
      } else {
        unwritten = (error as Error).message.replace(/\.$/, '');
      }
    }
    const which = tokenNames(live, 'the ');
    const left = kept
      ? `: the tokens are kept here (still valid at Okta)${lockLeft === undefined ? ';' : `, but ${lockLeft}, then`} run okta-auth logout again.`
      : `, and they are not kept here: ${
          unwritten === undefined
            ? 'another okta-auth stored or removed a sign-in meanwhile; unless it revoked them,'
            : `the token file could not be written (${unwritten});`
        } they stay valid at Okta until they expire; ${adminRevokes}.`;
    throw new CliError(exitCodeOf(first.error), `Okta did not revoke ${which} (${inCliWords(first.error)})${left}`, { cause: first.error });
  }
  removeUnusedDpopKey(storage);
  const unrevocable = notRevoked.map(({ token }) => ` Okta does not revoke the ${token.replace('_', ' ')} (unsupported_token_type): it stays valid until it expires.`).join('');
  say(io, `Signed out of ${client.origin}: the tokens were ${unrevocable === '' ? 'revoked at Okta and ' : ''}deleted here.${unrevocable}`);
}
