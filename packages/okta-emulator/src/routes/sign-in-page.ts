import { esc, page } from '../http/html.js';
import { formBody, htmlReply, NOT_A_FORM, type EmuRequest, type Reply } from '../http/http-types.js';

export interface SignInPageOptions {
  action: string;
  hidden: Record<string, string>;
  heading?: string;
  username?: string | undefined;
  error?: string | undefined;
  clientId?: string | undefined;
  /** The app's name: shown instead of the client id. */
  appName?: string | undefined;
  /** A line for the person, under the heading. */
  hint?: string | undefined;
}

/** The sign-in form: labelled `username` and `password` fields and a "Sign in" button. */
export function signInPage(o: SignInPageOptions): string {
  const hidden = Object.entries(o.hidden)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join('\n');
  const error = o.error === undefined ? '' : `<p class="error" role="alert">${esc(o.error)}</p>\n`;
  const app =
    o.appName !== undefined
      ? `<p>to continue to <strong id="app-name">${esc(o.appName)}</strong></p>\n`
      : o.clientId === undefined
        ? ''
        : `<p>to continue to <code>${esc(o.clientId)}</code></p>\n`;
  const hint = o.hint === undefined ? '' : `<p class="hint" id="sign-in-hint">${esc(o.hint)}</p>\n`;
  return page(
    'Sign In',
    `<h1>${esc(o.heading ?? 'Sign in')}</h1>
${app}${hint}${error}<form method="post" action="${esc(o.action)}">
${hidden}
<label for="username">Username</label>
<input id="username" name="username" type="text" autocomplete="username" required value="${esc(o.username ?? '')}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>`,
  );
}

/** The first device page: enter the user code shown on the device. */
export function deviceCodePage(o: { userCode?: string | undefined; error?: string | undefined }): string {
  const error = o.error === undefined ? '' : `<p class="error" role="alert">${esc(o.error)}</p>\n`;
  return page(
    'Activate a device',
    `<h1>Activate your device</h1>
${error}<form method="post" action="/activate">
<label for="user_code">Activation code</label>
<input id="user_code" name="user_code" type="text" autocomplete="one-time-code" required value="${esc(o.userCode ?? '')}">
<button type="submit">Next</button>
</form>`,
  );
}

export function messagePage(title: string, message: string): string {
  return page(title, `<h1>${esc(title)}</h1>\n<p>${esc(message)}</p>`);
}

/**
 * Answers a page's form post with `answer` given the form (`formBody`), or refuses a body of another
 * content type as the OAuth endpoints do: 400 with `NOT_A_FORM`, never read as an empty form.
 */
export function pageForm(req: EmuRequest, answer: (form: URLSearchParams) => Reply): Reply {
  const form = formBody(req);
  return form === undefined ? htmlReply(400, messagePage('Bad request', NOT_A_FORM)) : answer(form);
}

/** An auto-submitting form for `response_mode=form_post`. */
export function formPostPage(action: string, params: Record<string, string>): string {
  const inputs = Object.entries(params)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join('\n');
  return page(
    'Submit',
    `<form method="post" action="${esc(action)}" id="f">
${inputs}
<noscript><button type="submit">Continue</button></noscript>
</form>
<script>document.getElementById('f').submit()</script>`,
  );
}
