/**
 * The sign-in robot: plays the user at @org/okta-emulator's pages with plain `fetch` (no browser),
 * the one copy every package's tests share. It reads the form the way a person sees it: the page
 * must show the labelled username and password fields and a "Sign in" button.
 */

function unescapeHtml(value: string): string {
  return value.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The first form of a page: its absolute action and its hidden fields. */
function formOf(html: string, pageUrl: URL): { action: URL; fields: URLSearchParams } {
  const form = /<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (form === null) throw new Error(`no form on the page: ${html.slice(0, 300)}`);
  const fields = new URLSearchParams();
  for (const input of (form[2] ?? '').matchAll(/<input[^>]*type="hidden"[^>]*>/gi)) {
    const name = /name="([^"]*)"/.exec(input[0])?.[1];
    const value = /value="([^"]*)"/.exec(input[0])?.[1] ?? '';
    if (name !== undefined) fields.set(name, unescapeHtml(value));
  }
  return { action: new URL(unescapeHtml(form[1] ?? ''), pageUrl), fields };
}

/**
 * Opens `authorizeUrl`, fills the sign-in form with `login` and `password`, presses "Sign in" and
 * returns where the org redirects (the app's callback URL with `code` and `state`, or an error). When
 * the org redirects at once (an SSO session, `prompt=none`), returns that redirect.
 *
 * @example
 * ```ts
 * const { url, transaction } = await client.startSignIn();
 * const callback = await fillSignInForm(url, 'ada@example.com', 'Passw0rd!');
 * await client.finishSignIn(callback, transaction);
 * ```
 */
export async function fillSignInForm(authorizeUrl: URL, login: string, password: string): Promise<string> {
  const page = await fetch(authorizeUrl, { redirect: 'manual' });
  if (page.status >= 300 && page.status < 400) return page.headers.get('location') ?? '';
  const html = await page.text();
  if (!html.includes('for="username"') || !html.includes('for="password"') || !html.includes('Sign in')) {
    throw new Error(`not the sign-in page (HTTP ${page.status}): ${html.slice(0, 300)}`);
  }
  const { action, fields } = formOf(html, authorizeUrl);
  fields.set('username', login);
  fields.set('password', password);
  const answer = await fetch(action, { method: 'POST', body: fields, redirect: 'manual' });
  const location = answer.headers.get('location');
  if (location === null) throw new Error(`the sign-in form did not redirect (HTTP ${answer.status})`);
  return location;
}

/**
 * Activates a device code through the emulator's `/activate` pages, as a user on a phone would.
 *
 * @example
 * ```ts
 * const device = await client.startDeviceSignIn();
 * await activateDevice(org.url, device.userCode, 'ada@example.com', 'Passw0rd!');
 * ```
 */
export async function activateDevice(orgUrl: string, userCode: string, login: string, password: string): Promise<void> {
  const codePage = await fetch(new URL('/activate', orgUrl), { method: 'POST', body: new URLSearchParams({ user_code: userCode }) });
  const html = await codePage.text();
  const { action, fields } = formOf(html, new URL('/activate', orgUrl));
  fields.set('username', login);
  fields.set('password', password);
  const done = await fetch(action, { method: 'POST', body: fields });
  if (!done.ok) throw new Error(`activation failed (HTTP ${done.status})`);
}
