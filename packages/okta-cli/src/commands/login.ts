import { openBrowser } from '../browser.js';
import type { CliConfig } from '../config/load.js';
import { userSignIn, type CliContext } from '../credential.js';
import { hasDpopKey, removeUnusedDpopKey } from '../dpop-key.js';
import { configError } from '../exit-codes.js';
import { say, shown, type Io } from '../io.js';

function requireUserMode(config: CliConfig, command: string): void {
  if (config.mode !== 'User') {
    throw configError(
      `${command} is for a person's sign-in, but profile "${config.profile}" uses authorizationMode ${config.mode} (${config.modeSource}). Set authorizationMode: User and the clientId of a native app with the Device Authorization grant.`,
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

/** `okta-auth login`: device sign-in; the tokens go to the profile's 0600 token file. */
export async function runLogin(config: CliConfig, ctx: CliContext, io: Io, options: { noBrowser: boolean }): Promise<void> {
  requireUserMode(config, 'login');
  const { client, storage, storageKey } = await userSignIn(config, ctx);
  const device = await client.startDeviceSignIn();
  const url = device.verificationUriComplete ?? device.verificationUri;
  say(io, `To sign in to ${client.origin}, open:\n\n  ${url}\n\nand check that it shows the code ${device.userCode}`);
  const done = new AbortController();
  try {
    if (!options.noBrowser) offerBrowser(url, ctx, io, done.signal);
    say(io, 'Waiting for you to approve the sign-in…');
    const result = await device.poll();
    // The credential writes the tokens to storage now, and again after every refresh.
    const credential = client.credential(result, { storage, storageKey });
    await credential.getAccessToken();
    const who = result.claims?.preferred_username ?? result.claims?.sub;
    say(io, `Signed in${who === undefined ? '' : ` as ${shown(who)}`} to ${client.origin} (tokens in ${storage.path}, readable only by you).`);
  } finally {
    done.abort();
  }
}

/**
 * `okta-auth logout`: revokes the refresh and access tokens at Okta, then deletes them locally,
 * and the DPoP key if no tokens are left (another okta-auth's `login` may have stored new ones).
 */
export async function runLogout(config: CliConfig, ctx: CliContext, io: Io): Promise<void> {
  requireUserMode(config, 'logout');
  const signIn = await userSignIn(config, ctx);
  let { client, storage, storageKey } = signIn;
  let credential = await client.restoreCredential({ storage, storageKey });
  // DPoP-bound tokens restore only with DPoP: a sign-in made with dpop: true (OKTA_CLIENT_DPOP in
  // another shell, a setting since removed) is revoked with the key the file keeps, never left live.
  if (credential === undefined && !signIn.dpop && (await hasDpopKey(storage))) {
    ({ client, storage, storageKey } = await userSignIn(config, ctx, { dpop: true }));
    credential = await client.restoreCredential({ storage, storageKey });
  }
  if (credential === undefined) {
    removeUnusedDpopKey(storage);
    say(io, `Not signed in to ${client.origin}: nothing to revoke.`);
    return;
  }
  // If Okta cannot be reached the tokens stay, so logout can be run again: they are still live at Okta.
  await credential.signOut();
  removeUnusedDpopKey(storage);
  say(io, `Signed out of ${client.origin}: the tokens were revoked at Okta and deleted here.`);
}
