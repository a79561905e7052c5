/**
 * Plays the user in a browser against @org/okta-emulator with plain fetch:
 * opens the authorize URL, fills the labelled username and password fields
 * of the sign-in form, presses "Sign in", and returns where Okta redirects.
 */
function formOf(html: string, pageUrl: URL): { action: URL; fields: URLSearchParams } {
  const form = /<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (form === null) throw new Error(`no form on the page: ${html.slice(0, 300)}`);
  const fields = new URLSearchParams();
  for (const input of (form[2] ?? '').matchAll(/<input[^>]*type="hidden"[^>]*>/gi)) {
    const name = /name="([^"]*)"/.exec(input[0])?.[1];
    const value = /value="([^"]*)"/.exec(input[0])?.[1] ?? '';
    if (name !== undefined) fields.set(name, value.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>'));
  }
  return { action: new URL((form[1] ?? '').replace(/&amp;/g, '&'), pageUrl), fields };
}

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

/** Activates a device code through the emulator's /activate pages, as a user on a phone would. */
export async function activateDevice(orgUrl: string, userCode: string, login: string, password: string): Promise<void> {
  const codePage = await fetch(new URL('/activate', orgUrl), { method: 'POST', body: new URLSearchParams({ user_code: userCode }) });
  const html = await codePage.text();
  const { action, fields } = formOf(html, new URL('/activate', orgUrl));
  fields.set('username', login);
  fields.set('password', password);
  const done = await fetch(action, { method: 'POST', body: fields });
  if (!done.ok) throw new Error(`activation failed (HTTP ${done.status})`);
}
