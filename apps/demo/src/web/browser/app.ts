import { createOktaFetch, isOktaApiError } from '@org/okta-auth-core';
import { createSignInClient, isOktaOAuthError, isOktaSignInError, createSessionStorage, signOut, type SignInClientBase as SignInClient, type SignInResult, type UserCredentialBase as UserCredential } from '@org/okta-oauth/sign-in';
import type { PageConfig } from '../config.js';
import { h, show } from './dom.js';
import { usersPager, type OktaUser } from './users-pager.js';

const SIGNED_OUT_STATE = 'signed-out';
/** The `state` back from Okta's logout after a sign-out where Okta did not revoke every token. */
const SESSION_ENDED_STATE = 'session-ended';

function describe(error: unknown): string {
  if (isOktaSignInError(error) || isOktaOAuthError(error) || isOktaApiError(error)) return error.message;
  return error instanceof Error ? error.message : String(error);
}

function errorBox(title: string, error: unknown): HTMLElement {
  return h('div', { class: 'error', role: 'alert' }, h('strong', {}, title), h('p', {}, describe(error)));
}

function withState(url: URL, state: string): string {
  const copy = new URL(url);
  copy.searchParams.set('state', state);
  return copy.href;
}

/** `refresh token and access token` for what signOut() reports. */
function tokenNames(tokens: readonly ('refresh_token' | 'access_token')[]): string {
  return tokens.length === 0 ? 'nothing' : tokens.map((t) => t.replace('_', ' ')).join(' and ');
}

function signedOutView(client: SignInClient, config: PageConfig, notice?: HTMLElement): void {
  const button = h('button', { class: 'primary', type: 'button', id: 'sign-in' }, 'Sign in with Okta');
  button.addEventListener('click', () => {
    button.disabled = true;
    client.startSignIn().then(
      ({ url }) => {
        location.assign(url.href);
      },
      (error: unknown) => {
        signedOutView(client, config, errorBox('Could not start the sign-in', error));
      },
    );
  });
  const signInAs =
    config.signInAs === undefined
      ? undefined
      : h(
          'p',
          { class: 'hint', id: 'sign-in-as' },
          'This is a local emulated org: on its sign-in page, sign in as ',
          h('strong', {}, config.signInAs.login),
          ' with password ',
          h('strong', {}, config.signInAs.password),
          '.',
        );
  show(
    h('h1', {}, 'Sign in'),
    notice,
    h('p', {}, 'Signs you in with the authorization code flow and PKCE, then calls Okta’s API from this page with your own token.'),
    signInAs,
    button,
    h('p', { class: 'note' }, 'Org: ', h('code', {}, config.orgUrl), config.emulator && config.signInAs === undefined ? ' (plain http on this machine)' : ''),
  );
}

async function signedInView(client: SignInClient, config: PageConfig, result: SignInResult): Promise<void> {
  const credential: UserCredential = client.credential(result);
  const okta = createOktaFetch({ credential });
  show(h('p', {}, 'Loading your profile and the users…'));
  const userId = result.claims?.sub ?? '';
  const problem = h('div', {});
  const onPagingError = (error: unknown): void => {
    problem.replaceChildren(errorBox('Okta refused the call', error));
  };
  let me: OktaUser;
  let users: HTMLElement;
  try {
    me = (await (await okta(`/api/v1/users/${encodeURIComponent(userId)}`)).json()) as OktaUser;
    users = await usersPager(okta, onPagingError);
  } catch (error) {
    show(errorBox('Okta refused the call', error), signOutButton(client, config, credential));
    return;
  }
  const name = [me.profile.firstName, me.profile.lastName].filter(Boolean).join(' ');
  // The sign-out button sits next to the heading, where it is seen without scrolling.
  show(
    h('div', { class: 'top' }, h('h1', { id: 'welcome' }, `Signed in as ${name === '' ? me.profile.login : name}`), signOutButton(client, config, credential)),
    h(
      'dl',
      { 'aria-label': 'Your profile' },
      h('dt', {}, 'Login'),
      h('dd', { id: 'profile-login' }, me.profile.login),
      h('dt', {}, 'Email'),
      h('dd', {}, me.profile.email ?? ''),
      h('dt', {}, 'User id'),
      h('dd', {}, me.id),
      h('dt', {}, 'Status'),
      h('dd', {}, me.status),
      h('dt', {}, 'Token'),
      h('dd', {}, `${result.tokens.tokenType}, scopes ${result.tokens.scopes.join(' ')} (kept in this page’s memory only)`),
    ),
    problem,
    users,
  );
}

function signOutButton(client: SignInClient, config: PageConfig, credential: UserCredential): HTMLButtonElement {
  const button = h('button', { type: 'button', id: 'sign-out' }, 'Sign out');
  button.addEventListener('click', () => {
    button.disabled = true;
    // signOut() never throws for Okta's answers: it ends the session here and says what Okta revoked.
    signOut(client, credential, { state: SIGNED_OUT_STATE }).then(
      ({ logoutUrl, revoked, notRevoked }) => {
        if (notRevoked.length === 0) {
          // Every token revoked at Okta; now end the Okta browser session too.
          if (logoutUrl !== undefined) location.assign(logoutUrl.href);
          else signedOutView(client, config, h('p', { class: 'notice', role: 'status' }, `You are signed out: Okta revoked your ${tokenNames(revoked)}.`));
          return;
        }
        // Say what stays valid before leaving; the person ends the Okta session from the link.
        signedOutView(
          client,
          config,
          h(
            'div',
            { class: 'error', role: 'alert' },
            h('strong', {}, 'Signed out here, but Okta did not revoke every token'),
            h('p', {}, `Revoked: ${tokenNames(revoked)}. Not revoked (it may stay valid until it expires): ${notRevoked.map(({ token, error }) => `${tokenNames([token])} (${describe(error)})`).join('; ')}.`),
            logoutUrl === undefined ? undefined : h('p', {}, h('a', { href: withState(logoutUrl, SESSION_ENDED_STATE), id: 'end-okta-session' }, 'End your Okta session')),
          ),
        );
      },
      (error: unknown) => {
        signedOutView(client, config, errorBox('Sign-out did not complete', error));
      },
    );
  });
  return button;
}

async function main(): Promise<void> {
  const config = (await (await fetch('/config.json')).json()) as PageConfig;
  // The sign-in transaction lives in this origin's sessionStorage: stay on the redirect URI's origin.
  const canonical = new URL(config.redirectUri).origin;
  if (location.origin !== canonical) {
    location.replace(`${canonical}${location.pathname}${location.search}`);
    return;
  }
  const client = createSignInClient({
    orgUrl: config.orgUrl,
    clientId: config.clientId,
    redirectUri: config.redirectUri,
    postLogoutRedirectUri: config.postLogoutRedirectUri,
    scopes: config.scopes,
    storage: createSessionStorage(),
    allowInsecureLoopback: config.emulator,
  });
  const here = new URL(location.href);
  if (here.pathname === new URL(config.redirectUri).pathname && (here.searchParams.has('code') || here.searchParams.has('error'))) {
    show(h('p', {}, 'Signing you in…'));
    let result: SignInResult;
    try {
      result = await client.finishSignIn(here);
    } catch (error) {
      history.replaceState(null, '', '/');
      signedOutView(client, config, errorBox('Sign-in failed', error));
      return;
    }
    history.replaceState(null, '', '/');
    await signedInView(client, config, result);
    return;
  }
  const back = here.searchParams.get('state');
  const notices = new Map([
    [SIGNED_OUT_STATE, 'You are signed out: Okta revoked your tokens and ended your Okta session.'],
    [SESSION_ENDED_STATE, 'Your Okta session ended; a token Okta did not revoke may stay valid until it expires.'],
  ]);
  const notice = back === null ? undefined : notices.get(back);
  if (notice !== undefined) history.replaceState(null, '', '/');
  signedOutView(client, config, notice === undefined ? undefined : h('p', { class: 'notice', role: 'status' }, notice));
}

main().catch((error: unknown) => {
  show(errorBox('The demo could not start', error));
});
