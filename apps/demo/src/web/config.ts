import { parseOrgUrl } from '@org/okta-auth-core';
import { isLoopbackHost } from '@org/okta-auth-core/internal';
import { createMemoryStorage, createSignInClient, isOktaOAuthError } from '@org/okta-oauth/sign-in';
import { DemoConfigError } from '../config.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The web demo's variables: the names `signInClientFromEnv` in `@org/okta-oauth` reads (Okta's SDK scheme). */
export const WEB_ENV = {
  orgUrl: 'OKTA_CLIENT_ORGURL',
  clientId: 'OKTA_CLIENT_CLIENTID',
  redirectUri: 'OKTA_CLIENT_REDIRECTURI',
  postLogoutRedirectUri: 'OKTA_CLIENT_POSTLOGOUTREDIRECTURI',
  scopes: 'OKTA_CLIENT_SCOPES',
  port: 'PORT',
} as const;

/** The names earlier versions of the web demo read, still accepted when the new one is unset. */
export const WEB_ENV_ALIASES: Readonly<Record<string, string>> = {
  OKTA_CLIENT_CLIENTID: 'OKTA_WEB_CLIENT_ID',
  OKTA_CLIENT_REDIRECTURI: 'OKTA_WEB_REDIRECT_URI',
  OKTA_CLIENT_POSTLOGOUTREDIRECTURI: 'OKTA_WEB_POST_LOGOUT_REDIRECT_URI',
  OKTA_CLIENT_SCOPES: 'OKTA_WEB_SCOPES',
};

export const DEFAULT_PORT = 4000;
export const DEFAULT_SCOPES = ['openid', 'profile', 'email', 'offline_access', 'okta.users.read'];

/** What the page needs to sign in: served to it as `/config.json`. Nothing secret (a SPA is a public client). */
export interface PageConfig {
  readonly orgUrl: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly postLogoutRedirectUri: string;
  readonly scopes: readonly string[];
  /** True on the emulator: its org URL is plain http on loopback. */
  readonly emulator: boolean;
  /** On the emulated org the demo starts: the made-up user to sign in as, shown on the page. */
  readonly signInAs?: { readonly login: string; readonly password: string } | undefined;
}

/** Where the web demo signs in: an emulated org it sets up, or a real org's SPA app. */
export type WebConfig =
  | { readonly mode: 'emulator'; readonly port: number }
  | { readonly mode: 'org'; readonly port: number; readonly page: PageConfig };

function readOne(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function read(env: Env, name: string): string | undefined {
  const alias = WEB_ENV_ALIASES[name];
  return readOne(env, name) ?? (alias === undefined ? undefined : readOne(env, alias));
}

/** The variable that supplied a setting: the alias when only the alias is set, for error messages. */
function given(env: Env, name: string): string {
  const alias = WEB_ENV_ALIASES[name];
  return readOne(env, name) === undefined && alias !== undefined && readOne(env, alias) !== undefined ? alias : name;
}

/** What the server serves besides the page: no redirect URI may land there. */
const OWN_PATHS = ['/app.js', '/app.css', '/config.json'];

/**
 * A redirect URI's setting, checked: a URL this server answers at (https, or http on localhost or 127.0.0.1; no
 * user name or password, port 0 or path of the page's own files). With `origin` (the post-logout redirect URI's
 * check), it must be on that origin too, the redirect URI's: the page that signed in is the one Okta sends back to.
 */
function url(env: Env, setting: string, fallback: string, origin?: string): string {
  const name = given(env, setting);
  const raw = read(env, setting) ?? fallback;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new DemoConfigError(name, `${name} is not a URL: it should look like http://localhost:${String(DEFAULT_PORT)}/callback.`);
  }
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname))) {
    throw new DemoConfigError(name, `${name} must be https, or http on localhost.`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new DemoConfigError(name, `${name} must not contain a user name or password: give it as registered in the app, such as http://localhost:${String(DEFAULT_PORT)}/callback.`);
  }
  if (parsed.port === '0') throw new DemoConfigError(name, `${name} must name the port this demo listens on, such as http://localhost:${String(DEFAULT_PORT)}/callback, not port 0.`);
  // The server serves on 127.0.0.1 (and holds [::1] only where IPv6 is on): at 127.0.0.2 the browser would find nothing.
  if (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname) && parsed.hostname !== 'localhost' && parsed.hostname !== '127.0.0.1') {
    throw new DemoConfigError(name, `${name} must name localhost or 127.0.0.1, where this demo listens: a browser sent to ${parsed.hostname} may find nothing (register the app's redirect URIs on localhost).`);
  }
  // The server serves the page on the redirect URIs' paths; these paths are the page's own files.
  if (OWN_PATHS.includes(parsed.pathname)) {
    throw new DemoConfigError(name, `${name}'s path ${parsed.pathname} is the page's own (${OWN_PATHS.join(', ')}): use another path, such as http://localhost:${String(DEFAULT_PORT)}/callback.`);
  }
  // Signed out, Okta sends the browser to this URI: only this server, on the origin the page signed in at, serves the page there.
  if (origin !== undefined && parsed.origin !== origin) {
    throw new DemoConfigError(name, `${name} is on ${parsed.origin}, not on the redirect URI's origin, ${origin}, where this demo serves the page: use a path there, such as ${origin}/.`);
  }
  return parsed.href;
}

/** The port a loopback `http:` redirect URI sends the browser back to (this server's); undefined for another host (a proxy in front). */
function loopbackPort(redirectUri: string): number | undefined {
  const parsed = new URL(redirectUri);
  if (parsed.protocol !== 'http:' || !isLoopbackHost(parsed.hostname)) return undefined;
  return parsed.port === '' ? 80 : Number(parsed.port);
}

function port(env: Env, redirectUri: string | undefined): number {
  const raw = read(env, WEB_ENV.port);
  const back = redirectUri === undefined ? undefined : loopbackPort(redirectUri);
  if (raw === undefined) {
    const fromRedirect = redirectUri === undefined ? '' : new URL(redirectUri).port;
    return back ?? (fromRedirect === '' ? DEFAULT_PORT : Number(fromRedirect));
  }
  // Digits only: Number() reads 0x1000 as 4096 and 1e3 as 1000.
  const value = /^\d{1,5}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(value) || value < 0 || value > 65_535) throw new DemoConfigError(WEB_ENV.port, `${WEB_ENV.port} must be a port number (0 to 65535).`);
  if (back !== undefined && value !== back) {
    throw new DemoConfigError(WEB_ENV.port, `${WEB_ENV.port} is ${String(value)}, but ${given(env, WEB_ENV.redirectUri)} sends the browser back to port ${String(back)}: set both to the same port.`);
  }
  return value;
}

/** The options of the page's sign-in client, as their settings are named here. */
const SETTING_OF_OPTION = new Map<string, string>([
  ['clientId', WEB_ENV.clientId],
  ['scopes', WEB_ENV.scopes],
  ['redirectUri', WEB_ENV.redirectUri],
  ['postLogoutRedirectUri', WEB_ENV.postLogoutRedirectUri],
]);

/**
 * Makes the page's sign-in client here, with the factory the page calls, so a setting it refuses
 * (a scope or client id that is no such thing, a redirect URI with a fragment) stops the server at
 * start, naming its variable, rather than failing in the browser.
 */
function checkWithSignInClient(env: Env, page: PageConfig): void {
  try {
    const { orgUrl, clientId, redirectUri, postLogoutRedirectUri, scopes } = page;
    createSignInClient({ orgUrl, clientId, redirectUri, postLogoutRedirectUri, scopes, storage: createMemoryStorage(), allowInsecureLoopback: true });
  } catch (error) {
    if (!isOktaOAuthError(error)) throw error;
    const setting = SETTING_OF_OPTION.get(/^\w+/.exec(error.message)?.[0] ?? '') ?? WEB_ENV.orgUrl;
    throw new DemoConfigError(given(env, setting), error.message);
  }
}

/**
 * Reads the web demo's settings. With neither `OKTA_CLIENT_ORGURL` nor `OKTA_CLIENT_CLIENTID`, it
 * runs on an emulated org. Otherwise both are needed: the org, and a SPA app's client id whose
 * sign-in redirect URI is `OKTA_CLIENT_REDIRECTURI` (default `http://localhost:PORT/callback`).
 * The older `OKTA_WEB_*` names are read when the new ones are unset.
 *
 * @throws {DemoConfigError} naming the variable to set or fix.
 */
export function readWebConfig(env: Env): WebConfig {
  const orgUrl = read(env, WEB_ENV.orgUrl);
  const clientId = read(env, WEB_ENV.clientId);
  const redirect = read(env, WEB_ENV.redirectUri);
  if (orgUrl === undefined && clientId === undefined) return { mode: 'emulator', port: port(env, undefined) };
  if (orgUrl === undefined) throw new DemoConfigError(WEB_ENV.orgUrl, `${WEB_ENV.orgUrl} is not set: set it to your org, such as https://acme.okta.com.`);
  if (clientId === undefined) {
    throw new DemoConfigError(WEB_ENV.clientId, `${WEB_ENV.clientId} is not set: set it to the client id of a single-page app (SPA) in your org, with the authorization code grant.`);
  }
  let origin: string;
  try {
    origin = parseOrgUrl(orgUrl, { allowInsecureLoopback: true }).origin;
  } catch (error) {
    throw new DemoConfigError(WEB_ENV.orgUrl, error instanceof Error ? error.message : String(error));
  }
  const listen = port(env, redirect === undefined ? undefined : url(env, WEB_ENV.redirectUri, ''));
  if (listen === 0 && redirect === undefined) {
    throw new DemoConfigError(WEB_ENV.port, `${WEB_ENV.port} 0 picks a free port, but Okta sends the browser back to the port registered in the redirect URI: set ${WEB_ENV.port} to that port, such as ${String(DEFAULT_PORT)}.`);
  }
  const redirectUri = url(env, WEB_ENV.redirectUri, `http://localhost:${String(listen)}/callback`);
  const redirectOrigin = new URL(redirectUri).origin;
  const postLogoutRedirectUri = url(env, WEB_ENV.postLogoutRedirectUri, `${redirectOrigin}/`, redirectOrigin);
  const scopes = read(env, WEB_ENV.scopes)?.split(/[\s,]+/).filter((s) => s !== '') ?? DEFAULT_SCOPES;
  const page = { orgUrl: origin, clientId, redirectUri, postLogoutRedirectUri, scopes, emulator: origin.startsWith('http:') };
  checkWithSignInClient(env, page);
  // After the sign-in client's own checks (quotes, what is no scope): the page reads who signed in from the ID token's `sub`.
  if (!scopes.includes('openid')) {
    const name = given(env, WEB_ENV.scopes);
    // The scopes given are not quoted: a token pasted there is a valid scope (the sign-in client takes it).
    throw new DemoConfigError(name, `${name} has no openid: the page needs the ID token (openid) to know who signed in and show their profile. Add it, such as "${DEFAULT_SCOPES.join(' ')}".`);
  }
  return { mode: 'org', port: listen, page };
}
