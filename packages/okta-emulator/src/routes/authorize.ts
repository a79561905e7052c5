import type { OrgContext } from '../state/context.js';
import { htmlReply, redirectReply, type EmuRequest, type Reply } from '../http/http-types.js';
import { randomToken } from '../state/ids.js';
import type { AuthorizeTransaction, UserRecord } from '../state/model.js';
import { spaceDelimited } from '../protocol/space-delimited.js';
import { checkPassword, readSession, startSession } from '../state/sessions.js';
import { logSignIn } from '../protocol/log-events.js';
import { formPostPage, messagePage, pageForm, signInPage } from './sign-in-page.js';
import type { Router } from '../http/router.js';
import { takePushedRequest } from './par.js';
import { checkAuthorizeRequest, UNKNOWN_CLIENT, type ResponseMode } from './authorize-request.js';
import { servedApp } from '../state/app-lifecycle.js';

const SIGN_IN_ACTION = '/login/sign-in';

/**
 * Deliver an authorization response (or error) to the client: `code` or `error`, and `state`, as
 * Okta sends them; `iss` (RFC 9207) only with `startEmulator({ authorizationResponseIss: true })`,
 * since Okta sends none (FIDELITY P13).
 */
function deliver(ctx: OrgContext, redirectUri: string, mode: ResponseMode, params: Record<string, string>, headers: Record<string, string> = {}): Reply {
  const all = ctx.settings.authorizationResponseIss ? { ...params, iss: ctx.url } : params;
  if (mode === 'form_post') return htmlReply(200, formPostPage(redirectUri, all), headers);
  const qs = new URLSearchParams(all).toString();
  if (mode === 'fragment') return redirectReply(`${redirectUri}#${qs}`, headers);
  return redirectReply(`${redirectUri}${redirectUri.includes('?') ? '&' : '?'}${qs}`, headers);
}

function errorParams(error: string, description: string, state: string | undefined): Record<string, string> {
  return { error, error_description: description, ...(state === undefined ? {} : { state }) };
}

function issueCode(ctx: OrgContext, txn: AuthorizeTransaction, user: UserRecord, authTime: number): string {
  const code = randomToken(32);
  ctx.store.keep('codes', code, {
    code,
    clientId: txn.clientId,
    redirectUri: txn.redirectUri,
    scopes: txn.scopes,
    userId: user.id,
    codeChallenge: txn.codeChallenge,
    nonce: txn.nonce,
    authTime,
    acr: txn.acr,
    expiresAt: ctx.clock.nowSeconds() + ctx.settings.authCodeLifetimeSeconds,
    used: false,
    issuedAccessTokens: [],
    issuedRefreshToken: undefined,
  });
  return code;
}

function authorize(ctx: OrgContext, req: EmuRequest): Reply {
  // RFC 9126 §4: a request_uri from /par stands for the pushed parameters (par.ts).
  const q = req.url.searchParams.has('request_uri') ? takePushedRequest(ctx, req.url.searchParams) : req.url.searchParams;
  if (!(q instanceof URLSearchParams)) {
    return q.kind === 'page' ? htmlReply(400, messagePage('Bad request', q.description)) : deliver(ctx, q.redirectUri, q.mode, errorParams(q.error, q.description, q.state));
  }
  const checked = checkAuthorizeRequest(ctx, q);
  if (checked.kind === 'page') return htmlReply(400, messagePage('Bad request', checked.description));
  if (checked.kind === 'refused') return deliver(ctx, checked.redirectUri, checked.mode, errorParams(checked.error, checked.description, checked.state));
  const { txn, prompt, maxAge } = checked;
  const session = readSession(ctx, req);
  // OIDC Core §3.1.2.1: an elapsed time greater than max_age signs the person in again; max_age=0 is prompt=login
  // (Okta's release notes, OKTA-588559).
  const recent = session !== undefined && (maxAge === undefined || (maxAge > 0 && ctx.clock.nowSeconds() - session.authTime <= maxAge));
  if (session !== undefined && recent && !spaceDelimited(prompt).includes('login')) {
    const user = ctx.store.users.get(session.userId);
    if (user !== undefined) return deliver(ctx, txn.redirectUri, txn.responseMode, { code: issueCode(ctx, txn, user, session.authTime), state: txn.state });
  }
  if (prompt === 'none') return deliver(ctx, txn.redirectUri, txn.responseMode, errorParams('login_required', 'The client specified not to prompt, but the user is not logged in.', txn.state));
  ctx.store.keep('transactions', txn.id, txn);
  return htmlReply(200, signInPage({ action: SIGN_IN_ACTION, hidden: { txn: txn.id }, username: q.get('login_hint') ?? undefined, ...appOnPage(ctx, txn.clientId) }));
}

/** How the sign-in page names the app (SPA, web or native): its label (else its client id), and its hint for the person. */
function appOnPage(ctx: OrgContext, clientId: string): { clientId: string; appName?: string | undefined; hint?: string | undefined } {
  const app = ctx.store.apps.get(clientId);
  if (app === undefined || (app.kind !== 'spa' && app.kind !== 'web' && app.kind !== 'native')) return { clientId };
  return { clientId, appName: app.label, hint: app.signInHint };
}

function signIn(ctx: OrgContext, req: EmuRequest, form: URLSearchParams): Reply {
  const txn = ctx.store.transactions.get(form.get('txn') ?? '');
  if (txn === undefined || ctx.clock.nowSeconds() >= txn.expiresAt) {
    return htmlReply(400, messagePage('Sign-in expired', 'This sign-in request is no longer valid. Start again from the application.'));
  }
  // The app deactivated since the page was shown: no code for it, as at /authorize (FIDELITY C17).
  if (servedApp(ctx, txn.clientId) === undefined) return htmlReply(400, messagePage('Bad request', UNKNOWN_CLIENT));
  const username = form.get('username') ?? '';
  const user = checkPassword(ctx, username, form.get('password') ?? '');
  logSignIn(ctx, req, user, username, txn.clientId);
  if (user === undefined) {
    return htmlReply(
      401,
      signInPage({ action: SIGN_IN_ACTION, hidden: { txn: txn.id }, username, ...appOnPage(ctx, txn.clientId), error: 'Sign-in failed. Check your username and password and try again.' }),
    );
  }
  ctx.store.transactions.delete(txn.id);
  const { session, cookie } = startSession(ctx, user);
  return deliver(ctx, txn.redirectUri, txn.responseMode, { code: issueCode(ctx, txn, user, session.authTime), state: txn.state }, { 'Set-Cookie': cookie });
}

export function registerAuthorizeRoutes(router: Router, ctx: OrgContext): void {
  router
    .add('GET', '/oauth2/v1/authorize', (req) => authorize(ctx, req))
    .add('POST', SIGN_IN_ACTION, (req) => pageForm(req, (form) => signIn(ctx, req, form)));
}
