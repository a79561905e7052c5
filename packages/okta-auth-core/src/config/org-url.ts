import { OktaAuthError } from '../errors/errors.js';
import { readOptions } from './options.js';

/**
 * A validated Okta org URL: the origin every request and credential of one
 * org is bound to.
 * @example
 * ```ts
 * const orgUrl: OrgUrl = parseOrgUrl('https://acme.okta.com/');
 * console.log(orgUrl.origin); // https://acme.okta.com
 * ```
 * @see https://developer.okta.com/docs/guides/find-your-domain/main/
 */
export interface OrgUrl {
  /** `https://acme.okta.com`, no trailing slash. */
  readonly origin: string;
  /** `https://acme.okta.com/`. */
  readonly href: string;
  /** Resolves a path such as `/oauth2/v1/token` against the org. */
  resolve(path: string): URL;
  /** The origin, as a string. */
  toString(): string;
}

/**
 * Options for {@link parseOrgUrl}.
 * @example
 * ```ts
 * // An emulator on this machine: plain HTTP on a loopback address only.
 * const options: OrgUrlOptions = { allowInsecureLoopback: true };
 * const local = parseOrgUrl('http://127.0.0.1:8080', options);
 * ```
 * @see https://developer.okta.com/docs/guides/find-your-domain/main/
 */
export interface OrgUrlOptions {
  /**
   * Accept this machine (`127.0.0.0/8`, `localhost`, `[::1]`), over `http://`
   * or `https://`, for tests and `@org/okta-emulator`; without it, a loopback
   * host is refused whatever the scheme. Never for a real org.
   * @default false
   */
  readonly allowInsecureLoopback?: boolean | undefined;
}

/** Okta's own domains, where `acme-admin.<domain>` is the admin console. */
const oktaDomains = ['okta.com', 'oktapreview.com', 'okta-emea.com', 'okta-gov.com', 'okta.mil', 'trexcloud.com', 'okta-miltest.com'];

/**
 * Whether `host` (a host name, any case) is an org's on one of Okta's own domains (`acme.okta.com`,
 * `acme-admin.okta-gov.com`): the one list, which the org URL's Admin Console check reads too, and
 * okta-oauth's check of a client id that is an org's host pasted in its place. @internal
 */
export function isOktaHost(host: string): boolean {
  const lower = host.toLowerCase();
  return oktaDomains.some((domain) => lower.endsWith(`.${domain}`));
}

// `${…}` and `{yourOktaDomain}` have a brace: the class takes them.
const placeholderPattern = /[{}<>]|yourOktaDomain|your[-_]?org|example\.okta/i;

/**
 * Whether a host name (as `URL.hostname` gives it) is this machine: `localhost`, `127.x.x.x` or
 * `[::1]`. The one rule of what `allowInsecureLoopback` accepts, also used by the demo. @internal
 */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Core's one check of a configured value wrapped in quotes, or with one left at an end: `docker run
 * --env-file` keeps the quotes of `VAR="…"` as part of the value, and a half-copied pair leaves one.
 * The problem and what to do, or `undefined`: each caller refuses in its own words, prefixing what the
 * value is (the org URL's, the API token's in `@org/okta-ssws`, `OKTA_CLIENT_AUTHORIZATIONMODE`'s, a
 * client id's, scopes' or key id's in `@org/okta-oauth`), or, where a quote is no refusal, says it in a
 * hint (an OIN secret's `invalid_client`). The value is never quoted: it may be a secret. Kept beside
 * the org URL's other checks, the one every bundle has. @internal
 */
export function quotedProblem(text: string): string | undefined {
  if (/^["'`]|["'`]$/.test(text)) return 'is wrapped in quotes (or has one at an end): remove them.';
}

/**
 * {@link quotedProblem} as a refusal: throws what `refuse` returns (or lets it throw), given the
 * problem. `OKTA_CLIENT_AUTHORIZATIONMODE`'s check, inside `namingVariable`, and the siblings released
 * before `quotedProblem` take it; the checks every bundle has read `quotedProblem` themselves (no
 * callback: fewer bytes). @internal
 */
export function refuseQuoted(text: string, refuse: (problem: string) => unknown): void {
  const problem = quotedProblem(text);
  if (problem) throw refuse(problem);
}

/** One message shape: "The Okta org URL <what is wrong>", with the example org when no fix is quoted. */
function fail(problem: string, subject = 'The Okta org URL '): never {
  throw new OktaAuthError('INVALID_ORG_URL', `${subject}${problem}`);
}

const example = 'such as "https://acme.okta.com".';

/**
 * `text` when it reads as a host name (RFC 1035 labels of letters, digits and hyphens, at most
 * 63 characters each, at least two, an optional port) that is not a JWT's first part; else
 * `undefined`. A message quotes only such a host: a value given as the org URL may be a
 * credential pasted in the wrong place (an API token, a JWT), and a message never holds one.
 */
function hostLike(text: string): string | undefined {
  // `eyj`: the URL parser lower-cases a host.
  return text.length <= 253 && !/^eyj/i.test(text) && /^[a-z\d-]{1,63}(?:\.[a-z\d-]{1,63})+\.?(?::\d{1,5})?$/i.test(text) ? text : undefined;
}

/** For a URL that does not parse, and for a value with no scheme that is no host name. */
const notAUrl = 'is not a valid URL: it should look like "https://acme.okta.com".';

/**
 * Parses and validates an Okta org URL once, up front:
 * https only (http only for loopback with `allowInsecureLoopback`); no path,
 * query, fragment or credentials (a trailing slash is fine); not an admin
 * domain (`acme-admin.okta.com`); not an unfilled placeholder such as
 * `https://{yourOktaDomain}`; not in quotes; a host that a public DNS name can
 * be (letters, digits and hyphens in two or more dot-separated labels): no IP
 * address in any form, no `localhost`, no name of one label, none under
 * `.internal`, `.local`, `.localhost`, `.home.arpa` or `.svc` (this machine
 * only with `allowInsecureLoopback`); with no root dot, on a port other
 * than 0. Custom domains are accepted. A custom domain whose DNS points
 * inside your network is not seen here: check `credential.origin` against
 * your allow-list, or egress in your `fetch`.
 *
 * @throws {OktaAuthError} `INVALID_ORG_URL`, with a message that says what to fix.
 * @example
 * ```ts
 * const org = parseOrgUrl('https://acme.okta.com/');
 * org.origin; // 'https://acme.okta.com'
 * org.resolve('/oauth2/v1/token').href; // 'https://acme.okta.com/oauth2/v1/token'
 * ```
 * @see https://developer.okta.com/docs/guides/find-your-domain/main/
 */
export function parseOrgUrl(input: string | URL, options?: OrgUrlOptions): OrgUrl {
  const { allowInsecureLoopback } = readOptions(options, 'parseOrgUrl(url, options)');
  const raw: unknown = input;
  if (typeof raw !== 'string' && !(raw instanceof URL)) {
    // Named as the factories' option: a factory given none (or `issuer`, `domain`, `oktaDomain` in its place) ends here.
    fail(`is missing or not a string: set orgUrl to your org, ${example}`);
  }
  const text = String(input).trim(); // a URL's href
  if (text === '') fail(`is empty: set it to your org, ${example}`);
  if (text.length > 2048) fail(`is too long: it should be an origin ${example}`);
  // The URL parser drops a tab or line break anywhere: `https://acme.okta.com\n<token>` (a .env line not
  // split) had the token, lower-cased, as part of its host, so in the origin, the log and a DNS query.
  if (/[\t\n\r]/.test(text)) fail(`has a line break or tab inside it: it should be one line, ${example}`);
  // Core's one check of quotes around a configured value (`docker run --env-file` keeps those of VAR="…").
  const quoted = quotedProblem(text);
  if (quoted) fail(quoted);
  if (placeholderPattern.test(text)) {
    fail(`is still a placeholder: replace it with your org, ${example}`);
  }
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    const host = hostLike(text.replace(/^\/+/, '').split('/')[0] ?? '');
    // Quoted only when it is a host name: not an API token or JWT given in its place.
    fail(host === undefined ? notAUrl : `needs a scheme: use "https://${host}".`);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    fail(notAUrl);
  }
  if (url.username !== '' || url.password !== '') {
    fail(`must not contain a user name or password: use only the origin, ${example}`);
  }
  // A root dot (`acme-admin.okta.com.`) names the same host: check the name without it.
  const host = url.hostname.replace(/(?<!\.)\.+$/, '');
  // The fix `use "<origin>"`, quoted only for a host hostLike takes or a loopback name (an IP literal is refused
  // before any fix is quoted): a host of one label may be an API token given as the org URL.
  const use = (scheme: string): string => (isLoopbackHost(host) || hostLike(host) ? `: use "${scheme}//${host}${url.port && `:${url.port}`}"` : '');
  // The URL parser takes a host with a quote, comma, semicolon, `*` or an empty label (`https://acme.okta.com"`),
  // which no DNS name has: every call would then fail as a network error, blaming the connection.
  // One pattern: at most 253 characters, labels of 1 to 63, no hyphen at either end of one, none empty.
  if (!host.startsWith('[') && !/^(?!.{254})[a-z\d_](?:[a-z\d_-]{0,61}[a-z\d_])?(?:\.[a-z\d_](?:[a-z\d_-]{0,61}[a-z\d_])?)*$/.test(host)) {
    fail('has a host name that cannot be one (letters, digits and hyphens, separated by dots): check for a stray quote, comma or other character; it should look like "https://acme.okta.com".');
  }
  if (url.port === '0') fail('has port 0, where no server listens: leave the port out (443), or give the one your server listens on.');
  // One rule, said once: which hosts http is for, and the option it needs. An emulator in another container or on
  // another machine (`http://okta-emulator:8080`) has no https to switch to: say what http is for. A `…FromEnv(env, options)`
  // helper takes the option second, not from the environment (rev168a looked for a variable).
  const rule = "plain http and this machine (127.0.0.1, localhost or [::1]) are only for a test server there, with allowInsecureLoopback: true (in a …FromEnv helper's second argument)";
  // An org URL typed into a partner's form is where its worker sends the customer's client secret, and whose error it
  // quotes: an Okta org or a custom domain is a public DNS name of two labels or more, whatever the scheme. So never an
  // IP address (any encoded form, `https://2130706433`, `0x7f.1`, `0`, the URL parser has written as dotted IPv4), an
  // `[IPv6]`, a name of one label (`https://redis`: a container's, or a search domain's) or a special-use one never in
  // public DNS: `localhost` and `.localhost` (RFC 6761 §6.3), `.local` (mDNS, RFC 6762), `.home.arpa` (RFC 8375),
  // `.internal` (ICANN's, for private use) and Kubernetes' `.svc`. This machine only as a test server, with the option.
  if (isLoopbackHost(host)) {
    if (allowInsecureLoopback !== true) fail(`"${url.origin}": ${rule}.`);
  } else if (host.startsWith('[') || /^[\d.]+$|^[^.]+$|\.(?:localhost|local|internal|home\.arpa|svc)$/.test(host)) {
    fail(`must be your org's public domain name, ${example.slice(0, -1)} or a custom domain, not an IP address or a private name (one label, .internal, .local, .localhost, .home.arpa, .svc); ${rule}.`);
  }
  if (url.protocol === 'http:') {
    if (!isLoopbackHost(host)) fail(`must use https${use('https:')} (${rule}).`);
  } else if (url.protocol !== 'https:') {
    fail(`must use https, not "${url.protocol.slice(0, -1)}".`);
  }
  // A `?` or `#` anywhere starts a query or fragment (none is left in a user name: refused above), even an empty one.
  if (url.pathname !== '/' || /[?#]/.test(text)) {
    const hint = url.pathname.startsWith('/oauth2') ? ' (the org authorization server lives at the org URL itself, not under /oauth2)' : '';
    fail(`must be an origin with no path, query or fragment${use(url.protocol)}${hint}.`);
  }
  // `<org>-admin.<Okta's domain>`: its first label (no empty one: refused above) and the rest.
  const [, org, domain = ''] = /^([^.]+)-admin\.(.*)$/.exec(host) ?? [];
  if (oktaDomains.includes(domain)) {
    fail(`is the Admin Console domain; API calls go to the org domain: use "https://${org}.${domain}".`, `"${url.protocol}//${host}" `);
  }
  if (host !== url.hostname) {
    // A fully qualified name with its root dot is another origin than the one Okta names in tokens and discovery.
    fail(`must not end its host name with a dot${use(url.protocol)}.`);
  }
  const origin = url.origin;
  return Object.freeze({
    origin,
    href: `${origin}/`,
    resolve: (path: string) => new URL(path, `${origin}/`),
    toString: () => origin,
  });
}
