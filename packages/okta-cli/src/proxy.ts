import { configError } from './exit-codes.js';

type Env = Readonly<Record<string, string | undefined>>;

/** A variable's value, the lower-case name first (as curl and undici read them); blank is unset. */
function setting(env: Env, name: string): { name: string; value: string } | undefined {
  for (const variable of [name.toLowerCase(), name]) {
    const value = env[variable]?.trim();
    if (value !== undefined && value !== '') return { name: variable, value };
  }
  return undefined;
}

/** Whether `decodeURIComponent` takes this part of a URL, as undici does with a proxy's user name and password. */
function decodes(part: string): boolean {
  try {
    decodeURIComponent(part);
    return true;
  } catch {
    return false;
  }
}

/**
 * The proxy URL of one variable, or a configuration error that names it and never quotes it (it may
 * hold a password). A value without a scheme (`proxy.corp.example:3128`) is `http://` as curl reads it.
 */
function proxyUrl(env: Env, name: string): string | undefined {
  const found = setting(env, name);
  if (found === undefined) return undefined;
  const value = /^[a-z][a-z\d+.-]*:\/\//i.test(found.value) ? found.value : `http://${found.value}`;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  const notShown = '(its value is not shown: it may hold a password)';
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw configError(`${found.name} is not a proxy URL such as http://proxy.corp.example:3128 ${notShown}.`);
  }
  // undici decodes the user name and password for Proxy-Authorization, and a bad escape (`%zz`) is a bare URIError.
  if (!decodes(url.username) || !decodes(url.password)) {
    throw configError(`${found.name} is not a proxy URL: its user name or password is not percent-encoded (write % as %25, @ as %40, : as %3A) ${notShown}.`);
  }
  return value;
}

/**
 * Which variable names the proxy requests go through, said beside a network failure (`doctor`'s
 * Reach line, an error without an answer), which may be the proxy's: `HTTPS_PROXY` (as spelled in
 * the environment) for an `https://` org, else `HTTP_PROXY`, as undici's `EnvHttpProxyAgent` picks
 * it; with `NO_PROXY` set, that it may not apply. `undefined` without a proxy.
 * @example
 * ```ts
 * proxyNamed({ HTTPS_PROXY: 'proxy.corp.example:3128' }, 'https://acme.okta.com'); // 'through the proxy in HTTPS_PROXY'
 * ```
 * @see https://undici.nodejs.org/#/docs/api/EnvHttpProxyAgent
 */
export function proxyNamed(env: Env, orgUrl: string | undefined): string | undefined {
  const https = setting(env, 'HTTPS_PROXY');
  const http = setting(env, 'HTTP_PROXY');
  const found = orgUrl?.toLowerCase().startsWith('http:') === true ? http : (https ?? http);
  if (found === undefined) return undefined;
  return `through the proxy in ${found.name}${setting(env, 'NO_PROXY') === undefined ? '' : ' (unless NO_PROXY names the org)'}`;
}

/**
 * The `fetch` the CLI sends everything with when the environment names a proxy (`HTTPS_PROXY`,
 * `HTTP_PROXY`, `NO_PROXY`, each also in lower case): Node.js's `fetch` given undici's
 * `EnvHttpProxyAgent`, on every Node.js version the CLI runs on (Node.js 24's own
 * `NODE_USE_ENV_PROXY` reads the same variables). `undefined` when no proxy is set. undici is
 * imported only then: a run without a proxy does not load it.
 * @see https://undici.nodejs.org/#/docs/api/EnvHttpProxyAgent
 */
export async function proxyFetch(env: Env): Promise<typeof fetch | undefined> {
  const httpsProxy = proxyUrl(env, 'HTTPS_PROXY');
  const httpProxy = proxyUrl(env, 'HTTP_PROXY');
  if (httpsProxy === undefined && httpProxy === undefined) return undefined;
  const { EnvHttpProxyAgent } = await import('undici');
  // An unset variable is passed as '' so that undici does not read process.env instead of the env given.
  const dispatcher = new EnvHttpProxyAgent({ httpsProxy: httpsProxy ?? '', httpProxy: httpProxy ?? '', noProxy: setting(env, 'NO_PROXY')?.value ?? '' });
  // Object.assign, as core's README's proxy example, with no cast: it compiles with DOM's RequestInit (no `dispatcher`: a
  // spread is an excess property there) and with Node.js's alone (undici-types' `Dispatcher`, which this undici's agent
  // matches only as the intersection Object.assign types, not as a spread's property under exactOptionalPropertyTypes).
  return (input, init) => fetch(input, Object.assign({}, init, { dispatcher }));
}
