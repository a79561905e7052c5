import { createHash, randomBytes } from 'node:crypto';
import type { OktaEmulator } from '../index.js';

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** Read `<input type="hidden" name="X" value="Y">` values from a page. */
export function hiddenInputs(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) out[m[1]!] = m[2]!;
  return out;
}

/** A cookie jar of one: enough for the emulator's session cookie. */
export class Browser {
  cookie = '';

  async get(url: string): Promise<Response> {
    const res = await fetch(url, { redirect: 'manual', headers: this.cookie === '' ? {} : { Cookie: this.cookie } });
    this.#remember(res);
    return res;
  }

  async post(url: string, fields: Record<string, string>): Promise<Response> {
    const res = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(this.cookie === '' ? {} : { Cookie: this.cookie }) },
      body: new URLSearchParams(fields).toString(),
    });
    this.#remember(res);
    return res;
  }

  #remember(res: Response): void {
    const set = res.headers.get('set-cookie');
    if (set === null) return;
    const [pair = ''] = set.split(';');
    this.cookie = pair.endsWith('=') ? '' : pair;
  }
}

export interface AuthorizeParams {
  clientId: string;
  redirectUri: string;
  scope?: string;
  state?: string;
  nonce?: string;
  challenge?: string;
  extra?: Record<string, string>;
}

export function authorizeUrl(org: OktaEmulator, p: AuthorizeParams): string {
  const q = new URLSearchParams({
    client_id: p.clientId,
    redirect_uri: p.redirectUri,
    response_type: 'code',
    scope: p.scope ?? 'openid profile email offline_access',
    state: p.state ?? 'st-123',
    nonce: p.nonce ?? 'n-456',
    ...(p.challenge === undefined ? {} : { code_challenge: p.challenge, code_challenge_method: 'S256' }),
    ...p.extra,
  });
  return `${org.url}/oauth2/v1/authorize?${q.toString()}`;
}

/** Run the sign-in page flow and return the redirect Location. */
export async function signIn(org: OktaEmulator, browser: Browser, p: AuthorizeParams, login: string, password: string): Promise<URL> {
  const page = await browser.get(authorizeUrl(org, p));
  if (page.status !== 200) throw new Error(`authorize answered ${page.status} ${page.headers.get('location') ?? ''}`);
  const fields = hiddenInputs(await page.text());
  const res = await browser.post(`${org.url}/login/sign-in`, { ...fields, username: login, password });
  if (res.status !== 302) throw new Error(`sign-in answered ${res.status}`);
  return new URL(res.headers.get('location')!);
}
