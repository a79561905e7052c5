import { openBrowser } from '../browser.js';
import type { CliConfig } from '../config/load.js';
import { loopbackRedirect } from '../config/redirect-uri.js';
import { userSignIn, type CliContext } from '../credential.js';
import { say, type Io } from '../io.js';
import { listenLoopback, maxRefusedCallbacks } from '../loopback.js';
import { keepSignIn, requireUserMode } from './login.js';

/**
 * How long `login --browser` waits for the callback: 10 minutes, as long as Okta gives a device
 * code (`expires_in: 600`), so both sign-ins leave a person the same time (a password, a factor).
 */
const browserLoginTimeoutMs = 10 * 60_000;

/**
 * `okta-auth login --browser`: an authorization code sign-in with PKCE through the browser, its
 * callback served on the profile's loopback `redirectUri` (RFC 8252 §7.3), for orgs whose native
 * app has no Device Authorization grant. The tokens are kept as the device sign-in's are ({@link keepSignIn}).
 */
export async function runBrowserLogin(config: CliConfig, ctx: CliContext, io: Io, options: { noBrowser: boolean }): Promise<void> {
  requireUserMode(config, 'login --browser', 'browser');
  const redirect = loopbackRedirect(config);
  const signIn = await userSignIn(config, ctx, { app: 'browser' });
  // As the device sign-in: a token file that cannot be used fails now, before any sign-in.
  await signIn.storage.get(signIn.storageKey);
  // Listening first: a port in use fails before anything is asked of Okta.
  const listener = await listenLoopback(redirect, config.raw.redirectUri?.source ?? '');
  try {
    const { url, transaction } = await signIn.client.startSignIn({ redirectUri: redirect.uri });
    say(io, `To sign in to ${signIn.client.origin}, open in a browser on this computer:\n\n  ${url.href}\n`);
    if (!options.noBrowser) say(io, openBrowser(url.href, ctx.env) ? 'Opened the browser.' : 'No browser could be opened here: open the URL yourself.');
    say(io, `Waiting for the sign-in to come back to ${redirect.uri} (up to ${browserLoginTimeoutMs / 60_000} minutes; Ctrl-C stops)…`);
    // Only a callback with this transaction's state reaches finishSignIn, which uses the transaction up whatever it decides:
    // another page's forged callback is answered 400 and the wait goes on for Okta's (a bounded number of times).
    const callback = await listener.next({
      timeoutMs: browserLoginTimeoutMs,
      state: transaction.state,
      onRefused: (count) => {
        say(io, `Refused a callback that is not this sign-in's (another page in the browser may have sent it; ${count} of ${maxRefusedCallbacks}): still waiting.`);
      },
    });
    let signedIn = false;
    try {
      // The transaction is this run's own (its state, nonce and PKCE verifier never leave the process).
      await keepSignIn(await signIn.client.finishSignIn(callback.params, transaction), signIn, io);
      signedIn = true;
    } finally {
      await callback.reply(signedIn);
    }
  } finally {
    listener.close();
  }
}
