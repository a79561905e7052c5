import { invalidOption, OktaEmulatorError, shown } from '../emulator-error.js';

/** The sign-in form's transaction field, as `routes/sign-in-page.ts` writes it. */
const TXN_INPUT = /<input type="hidden" name="txn" value="([^"]*)">/;

function refuse(what: string): never {
  return invalidOption('signIn', 'authorizeUrl', what);
}

/**
 * What a browser does for a person: open `authorizeUrl` (this org's `/oauth2/v1/authorize`), fill in its
 * sign-in form with `login` and `password` and send it, through the org's own routes; returns the URL the
 * redirect lands on (the callback with `code` and `state`, or with `error`, as the org answered).
 * Throws `SIGN_IN_FAILED` when the form refuses the person, `INVALID_OPTION` (`authorizeUrl`) for a URL
 * of another org or one the org answers with no redirect. The password is never in a message.
 */
export async function signInByForm(orgUrl: string, authorizeUrl: unknown, { login, password }: { login: unknown; password: unknown }): Promise<string> {
  // The password is never quoted, nor its type.
  if (typeof login !== 'string' || login === '') invalidOption('signIn', 'login', `must be a non-empty string, not ${shown(login)}.`);
  if (typeof password !== 'string' || password === '') invalidOption('signIn', 'password', 'must be a non-empty string.');
  let url: URL | undefined;
  try {
    url = new URL(String(authorizeUrl));
  } catch {
    // Not quoted: it is the caller's string, of any length.
  }
  if (url?.origin !== new URL(orgUrl).origin || url.pathname !== '/oauth2/v1/authorize') {
    refuse(`must be this org's authorize URL, ${orgUrl}/oauth2/v1/authorize?client_id=…: another org's, or another URL, signs no one in here.`);
  }
  const page = await fetch(url, { redirect: 'manual' });
  const html = await page.text();
  const redirect = page.headers.get('location');
  if (redirect !== null) return redirect; // refused to the redirect URI (or prompt=none): where a browser lands
  const txn = page.status === 200 ? TXN_INPUT.exec(html)?.[1] : undefined;
  if (txn === undefined) refuse(`was answered ${page.status} with no sign-in form: an unknown or deactivated client_id, or a redirect_uri the app does not list.`);
  const res = await fetch(`${orgUrl}/login/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ txn, username: login, password }).toString(),
  });
  await res.body?.cancel();
  const landed = res.headers.get('location');
  if (landed !== null) return landed;
  if (res.status === 401) throw new OktaEmulatorError('SIGN_IN_FAILED', 'password', 'signIn: the sign-in form refused the login and password: no active user with that login and password in this org.');
  return refuse(`was answered ${res.status} by the sign-in form, not a redirect: response_mode=form_post posts the code (use query or fragment), or the app was deactivated.`);
}
